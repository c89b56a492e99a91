import { auditTimestamps, timestampColumn } from '@cloudphone/db';
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const nodeStatus = pgEnum('node_status', ['ONLINE', 'OFFLINE', 'MAINTENANCE', 'DRAINING']);
export const allocationStatus = pgEnum('allocation_status', ['ALLOCATED', 'RELEASED', 'EXPIRED']);
export const placementStrategy = pgEnum('placement_strategy', ['LEAST_LOADED', 'BINPACK', 'SPREAD', 'ROUND_ROBIN', 'WEIGHTED']);

/**
 * What the scheduler knows of each host: a copy of the devices subgraph's
 * node (status, place, labels, capacity; kept by `node.updated` events,
 * guarded by `sourceVersion`) and the resources its allocations hold, which
 * the scheduler alone owns. The checks make overbooking impossible even for
 * a statement that forgets the reservation rule.
 */
export const nodeResources = pgTable(
  'node_resources',
  {
    nodeId: uuid('node_id').primaryKey(),
    name: text('name').notNull(),
    status: nodeStatus('status').notNull(),
    region: text('region').notNull(),
    zone: text('zone').notNull(),
    labels: jsonb('labels').$type<Record<string, string>>().notNull().default({}),
    cpuCapacity: integer('cpu_capacity').notNull(),
    memoryMbCapacity: integer('memory_mb_capacity').notNull(),
    storageGbCapacity: integer('storage_gb_capacity').notNull(),
    deviceSlots: integer('device_slots').notNull(),
    cpuAllocated: integer('cpu_allocated').notNull().default(0),
    memoryMbAllocated: integer('memory_mb_allocated').notNull().default(0),
    storageGbAllocated: integer('storage_gb_allocated').notNull().default(0),
    devicesAllocated: integer('devices_allocated').notNull().default(0),
    /** The node's version in the devices subgraph: an older event never overwrites a newer copy. */
    sourceVersion: integer('source_version').notNull(),
    ...auditTimestamps(),
  },
  (table) => [
    check('node_resources_cpu_within_capacity', sql`${table.cpuAllocated} between 0 and ${table.cpuCapacity}`),
    check('node_resources_memory_within_capacity', sql`${table.memoryMbAllocated} between 0 and ${table.memoryMbCapacity}`),
    check('node_resources_storage_within_capacity', sql`${table.storageGbAllocated} between 0 and ${table.storageGbCapacity}`),
    check('node_resources_slots_within_capacity', sql`${table.devicesAllocated} between 0 and ${table.deviceSlots}`),
    index('node_resources_status_idx').on(table.status),
  ],
);

/**
 * A device's claim on a node. ALLOCATED holds capacity; RELEASED (device
 * deleted) and EXPIRED (no device appeared for the reservation) do not.
 * `confirmedAt` is set when the device is known to exist.
 */
export const allocations = pgTable(
  'allocations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deviceId: uuid('device_id').notNull(),
    nodeId: uuid('node_id')
      .notNull()
      .references(() => nodeResources.nodeId),
    userId: uuid('user_id').notNull(),
    tenantId: uuid('tenant_id').notNull(),
    strategy: placementStrategy('strategy').notNull(),
    cpuCores: integer('cpu_cores').notNull(),
    memoryMb: integer('memory_mb').notNull(),
    storageGb: integer('storage_gb').notNull(),
    status: allocationStatus('status').notNull().default('ALLOCATED'),
    allocatedAt: timestampColumn('allocated_at').notNull().defaultNow(),
    confirmedAt: timestampColumn('confirmed_at'),
    releasedAt: timestampColumn('released_at'),
    releaseReason: text('release_reason'),
  },
  (table) => [
    // One live claim per device: a retried reservation finds the first instead of taking a second.
    uniqueIndex('allocations_one_active_per_device').on(table.deviceId).where(sql`${table.status} = 'ALLOCATED'`),
    index('allocations_device_allocated_at_idx').on(table.deviceId, table.allocatedAt),
    index('allocations_node_status_idx').on(table.nodeId, table.status),
    index('allocations_user_status_idx').on(table.userId, table.status),
    index('allocations_unconfirmed_idx').on(table.allocatedAt).where(sql`${table.status} = 'ALLOCATED' and ${table.confirmedAt} is null`),
  ],
);

/** Named counters: the round-robin strategy's position survives restarts and is shared by replicas. */
export const schedulerCursors = pgTable('scheduler_cursors', {
  name: text('name').primaryKey(),
  position: bigint('position', { mode: 'number' }).notNull().default(0),
});

export type NodeResourceRow = typeof nodeResources.$inferSelect;
export type NewNodeResourceRow = typeof nodeResources.$inferInsert;
export type AllocationRow = typeof allocations.$inferSelect;
export type NewAllocationRow = typeof allocations.$inferInsert;

/** Transactional outbox and consumer inbox (see @cloudphone/events). */
export { inbox, outbox } from '@cloudphone/events/tables';
