import type { RoutingKey } from '@cloudphone/events';

/** Events this subgraph writes to its outbox: install requests for the devices side. */
export const PUBLISHES = ['app.install.requested'] as const satisfies readonly RoutingKey[];

export const CONSUMES = [] as const satisfies readonly RoutingKey[];
