import type { RoutingKey } from '@cloudphone/events';

/** Events this subgraph writes to its outbox. */
export const PUBLISHES = ['order.created', 'order.paid', 'order.cancelled', 'payment.succeeded', 'payment.failed', 'balance.low'] as const satisfies readonly RoutingKey[];

/**
 * Events this subgraph consumes (queue `billing`): user and device changes
 * refresh the copies on orders; a device's status drives metering and wakes
 * a purchase waiting for the device.
 */
export const CONSUMES = ['user.updated', 'user.suspended', 'user.deleted', 'device.updated', 'device.status.changed'] as const satisfies readonly RoutingKey[];
