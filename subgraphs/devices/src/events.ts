import type { RoutingKey } from '@cloudphone/events';

/** Events this subgraph writes to its outbox. */
export const PUBLISHES = [
  'device.created',
  'device.updated',
  'device.status.changed',
  'device.deleted',
  'app.install.completed',
  'app.install.failed',
  'node.updated',
  'quota.exceeded',
] as const satisfies readonly RoutingKey[];

/**
 * Events this subgraph consumes (queue `devices`): user changes refresh the owner copies; install
 * requests run on the device; its own device.created starts provisioning, its own device.deleted
 * tears the phone down.
 */
export const CONSUMES = ['user.updated', 'user.suspended', 'user.deleted', 'app.install.requested', 'device.created', 'device.deleted'] as const satisfies readonly RoutingKey[];
