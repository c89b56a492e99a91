import { auditTimestamps, timestampColumn } from '@cloudphone/db';
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const deviceStatus = pgEnum('device_status', ['CREATING', 'RUNNING', 'STOPPED', 'ERROR', 'DELETED']);
export const deviceProvider = pgEnum('device_provider', ['REDROID', 'PHYSICAL', 'HUAWEI_CPH', 'ALIYUN_ECP']);
export const nodeStatus = pgEnum('node_status', ['ONLINE', 'OFFLINE', 'MAINTENANCE', 'DRAINING']);

export const nodes = pgTable(
  'nodes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    status: nodeStatus('status').notNull().default('ONLINE'),
    region: text('region').notNull(),
    zone: text('zone').notNull(),
    labels: jsonb('labels').$type<Record<string, string>>().notNull().default({}),
    cpuCapacity: integer('cpu_capacity').notNull(),
    memoryMbCapacity: integer('memory_mb_capacity').notNull(),
    storageGbCapacity: integer('storage_gb_capacity').notNull(),
    deviceSlots: integer('device_slots').notNull(),
    lastHeartbeatAt: timestampColumn('last_heartbeat_at'),
    /** Bumped on every change that `node.updated` carries, so the scheduler's copy keeps the newest. */
    version: integer('version').notNull().default(1),
    ...auditTimestamps(),
  },
  (table) => [uniqueIndex('nodes_name_key').on(table.name), index('nodes_created_at_idx').on(table.createdAt, table.id)],
);

export const deviceTemplates = pgTable(
  'device_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    provider: deviceProvider('provider').notNull(),
    cpuCores: integer('cpu_cores').notNull(),
    memoryMb: integer('memory_mb').notNull(),
    storageGb: integer('storage_gb').notNull(),
    androidVersion: text('android_version').notNull(),
    image: text('image').notNull(),
    ...auditTimestamps(),
  },
  (table) => [uniqueIndex('device_templates_name_key').on(table.name), index('device_templates_created_at_idx').on(table.createdAt, table.id)],
);

export const devices = pgTable(
  'devices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    tenantId: uuid('tenant_id').notNull(),
    /** Copies of the owner's name and e-mail, so lists filter and sort by owner without asking users. */
    ownerName: text('owner_name').notNull(),
    ownerEmail: text('owner_email').notNull(),
    /** The owner's version the copies came from: an older user event never overwrites them. */
    ownerVersion: integer('owner_version').notNull(),
    name: text('name').notNull(),
    provider: deviceProvider('provider').notNull(),
    cpuCores: integer('cpu_cores').notNull(),
    memoryMb: integer('memory_mb').notNull(),
    storageGb: integer('storage_gb').notNull(),
    androidVersion: text('android_version').notNull(),
    nodeId: uuid('node_id').references(() => nodes.id),
    templateId: uuid('template_id').references(() => deviceTemplates.id),
    adbHost: text('adb_host'),
    adbPort: integer('adb_port'),
    healthScore: integer('health_score').notNull().default(100),
    lastHeartbeatAt: timestampColumn('last_heartbeat_at'),
    expiresAt: timestampColumn('expires_at'),
    status: deviceStatus('status').notNull().default('CREATING'),
    statusChangedAt: timestampColumn('status_changed_at').notNull().defaultNow(),
    /** Bumped on every change; copied into events so consumers keep the newest copy. */
    version: integer('version').notNull().default(1),
    /**
     * When the provider released the phone of a DELETED device (the teardown
     * step of the deletion saga); null until then. Not a change of the device:
     * neither its version nor an event follows it.
     */
    tornDownAt: timestampColumn('torn_down_at'),
    /** When an attempt at the teardown claimed it: others keep off until it is stale (the claimer died). */
    teardownClaimedAt: timestampColumn('teardown_claimed_at'),
    ...auditTimestamps(),
  },
  (table) => [
    index('devices_user_created_at_idx').on(table.userId, table.createdAt, table.id),
    index('devices_tenant_created_at_idx').on(table.tenantId, table.createdAt, table.id),
    index('devices_created_at_idx').on(table.createdAt, table.id),
    index('devices_status_created_at_idx').on(table.status, table.createdAt, table.id),
    // The list sorted by status (keyset: status, id); the index above orders by creation within a status, so a page read every device.
    index('devices_status_id_idx').on(table.status, table.id),
    index('devices_owner_name_idx').on(table.ownerName, table.id),
    index('devices_owner_email_idx').on(table.ownerEmail, table.id),
    // The owner filter's case-insensitive prefix match (lower(x) like 'abc%'): pattern ops serve LIKE whatever the collation.
    index('devices_owner_name_prefix_idx').using('btree', sql`lower(${table.ownerName}) text_pattern_ops`),
    index('devices_owner_email_prefix_idx').using('btree', sql`lower(${table.ownerEmail}) text_pattern_ops`),
    index('devices_name_idx').on(table.name, table.id),
    index('devices_node_idx').on(table.nodeId),
    // The health sweep's look-up of deletions whose teardown is overdue: only those rows, however many DELETED ones pile up.
    index('devices_teardown_due_idx').on(table.statusChangedAt, table.id).where(sql`${table.status} = 'DELETED' and ${table.tornDownAt} is null`),
  ],
);

export type NodeRow = typeof nodes.$inferSelect;
export type NewNodeRow = typeof nodes.$inferInsert;
export type DeviceTemplateRow = typeof deviceTemplates.$inferSelect;
export type NewDeviceTemplateRow = typeof deviceTemplates.$inferInsert;
export type DeviceRow = typeof devices.$inferSelect;
export type NewDeviceRow = typeof devices.$inferInsert;

/** Transactional outbox and consumer inbox (see @cloudphone/events). */
export { inbox, outbox } from '@cloudphone/events/tables';
