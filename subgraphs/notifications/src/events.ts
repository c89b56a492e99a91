import type { RoutingKey } from '@cloudphone/events';

/** Events this subgraph writes to its outbox: none, notifications end a chain of events. */
export const PUBLISHES = [] as const satisfies readonly RoutingKey[];

/**
 * Events this subgraph consumes (queue `notifications`): the seven triggers
 * `notifications/plan.ts` turns into notifications. Each is published by
 * some subgraph (billing publishes order.paid, payment.failed and balance.low).
 */
export const CONSUMES = ['user.created', 'device.status.changed', 'order.paid', 'payment.failed', 'balance.low', 'app.install.failed', 'quota.exceeded'] as const satisfies readonly RoutingKey[];
