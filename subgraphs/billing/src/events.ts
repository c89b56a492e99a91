import type { RoutingKey } from '@cloudphone/events';

/** Events this subgraph writes to its outbox. */
export const PUBLISHES = ['order.created', 'order.cancelled'] as const satisfies readonly RoutingKey[];

/** Events this subgraph consumes (queue `billing`): user and device changes refresh the copies on orders. */
export const CONSUMES = ['user.updated', 'user.suspended', 'user.deleted', 'device.updated'] as const satisfies readonly RoutingKey[];
