import type { RoutingKey } from '@cloudphone/events';

/** Events this subgraph writes to its outbox: none, notifications end a chain of events. */
export const PUBLISHES = [] as const satisfies readonly RoutingKey[];

/**
 * Events this subgraph consumes (queue `notifications`). `notifications/plan.ts`
 * already turns all seven triggers into notifications (user.created,
 * device.status.changed, order.paid, payment.failed, balance.low,
 * quota.exceeded, app.install.failed); order.paid, payment.failed and
 * balance.low join this list as their producers land, since a consumed key
 * must be published by some subgraph.
 */
export const CONSUMES = ['user.created', 'device.status.changed', 'app.install.failed', 'quota.exceeded'] as const satisfies readonly RoutingKey[];
