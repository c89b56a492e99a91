import { auditTimestamps, timestampColumn } from '@cloudphone/db';
import { bigint, index, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const applicationStatus = pgEnum('application_status', ['PENDING_REVIEW', 'APPROVED', 'REJECTED', 'AVAILABLE', 'UNAVAILABLE', 'DELETED']);
export const installStatus = pgEnum('install_status', ['PENDING', 'INSTALLING', 'INSTALLED', 'FAILED', 'UNINSTALLING', 'UNINSTALLED']);

export const applications = pgTable(
  'applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    packageName: text('package_name').notNull(),
    name: text('name').notNull(),
    versionName: text('version_name').notNull(),
    versionCode: integer('version_code').notNull(),
    /** Exact bytes; below 2^53, so a JS number holds it. */
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    category: text('category').notNull(),
    iconUrl: text('icon_url'),
    status: applicationStatus('status').notNull().default('PENDING_REVIEW'),
    /** The reviewer; null until the review work knows who is asking. */
    reviewedBy: uuid('reviewed_by'),
    reviewReason: text('review_reason'),
    ...auditTimestamps(),
  },
  (table) => [
    uniqueIndex('applications_package_version_key').on(table.packageName, table.versionCode),
    index('applications_created_at_idx').on(table.createdAt, table.id),
    index('applications_name_idx').on(table.name, table.id),
  ],
);

export const deviceApplications = pgTable(
  'device_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** A device of the devices subgraph; no foreign key across subgraphs. */
    deviceId: uuid('device_id').notNull(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    /** Owner of the device when the install was requested. */
    userId: uuid('user_id').notNull(),
    /**
     * The owner's tenant, copied from the device when the install is requested:
     * what a TENANT data scope filters on. Null on rows from before this column;
     * those are reachable only by the ALL scope (and their own user): fail closed.
     */
    tenantId: uuid('tenant_id'),
    status: installStatus('status').notNull().default('PENDING'),
    error: text('error'),
    requestedAt: timestampColumn('requested_at').notNull().defaultNow(),
    installedAt: timestampColumn('installed_at'),
    updatedAt: timestampColumn('updated_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('device_applications_device_application_key').on(table.deviceId, table.applicationId),
    index('device_applications_device_requested_at_idx').on(table.deviceId, table.requestedAt, table.id),
    index('device_applications_tenant_requested_at_idx').on(table.tenantId, table.requestedAt, table.id),
    index('device_applications_application_idx').on(table.applicationId),
  ],
);

export type ApplicationRow = typeof applications.$inferSelect;
export type NewApplicationRow = typeof applications.$inferInsert;
export type DeviceApplicationRow = typeof deviceApplications.$inferSelect;
export type NewDeviceApplicationRow = typeof deviceApplications.$inferInsert;

/** Transactional outbox and consumer inbox (see @cloudphone/events). */
export { inbox, outbox } from '@cloudphone/events/tables';
