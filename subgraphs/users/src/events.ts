import type { RoutingKey } from '@cloudphone/events';

/** Events this subgraph writes to its outbox: a full user snapshot on every change. */
export const PUBLISHES = ['user.created', 'user.updated', 'user.suspended', 'user.deleted'] as const satisfies readonly RoutingKey[];

export const CONSUMES = [] as const satisfies readonly RoutingKey[];
