import type { RoutingKey } from '@cloudphone/events';

/** The scheduler publishes nothing yet: allocations are read through the supergraph. */
export const PUBLISHES = [] as const satisfies readonly RoutingKey[];

/**
 * Events this subgraph consumes (queue `scheduler`): node news keeps the
 * copies placement reads; a created device confirms its reservation; a
 * deleted device gives its capacity back.
 */
export const CONSUMES = ['node.updated', 'device.created', 'device.deleted'] as const satisfies readonly RoutingKey[];
