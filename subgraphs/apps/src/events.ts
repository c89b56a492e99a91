import type { RoutingKey } from '@cloudphone/events';

/** Events this subgraph writes to its outbox: install requests for the devices side. */
export const PUBLISHES = ['app.install.requested'] as const satisfies readonly RoutingKey[];

/** Events this subgraph consumes (queue `apps`): the devices side's answers to install requests. */
export const CONSUMES = ['app.install.completed', 'app.install.failed'] as const satisfies readonly RoutingKey[];
