import type { RoutingKey } from '@cloudphone/events';

/** Events this subgraph writes to its outbox. */
export const PUBLISHES = ['device.created', 'device.updated'] as const satisfies readonly RoutingKey[];

/** Events this subgraph consumes (queue `devices`): user changes refresh the owner copies. */
export const CONSUMES = ['user.updated', 'user.suspended', 'user.deleted'] as const satisfies readonly RoutingKey[];
