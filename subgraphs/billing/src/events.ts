import type { RoutingKey } from '@cloudphone/events';

/** Events this subgraph writes to its outbox. */
export const PUBLISHES = ['order.created', 'order.cancelled', 'balance.low'] as const satisfies readonly RoutingKey[];

/**
 * Events this subgraph consumes (queue `billing`): user and device changes refresh the copies on orders;
 * device status changes drive metering.
 */
export const CONSUMES = ['user.updated', 'user.suspended', 'user.deleted', 'device.updated', 'device.status.changed'] as const satisfies readonly RoutingKey[];
