import { auditTimestamps, timestampColumn } from '@cloudphone/db';
import { index, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const tenantStatus = pgEnum('tenant_status', ['ACTIVE', 'SUSPENDED']);
export const userStatus = pgEnum('user_status', ['ACTIVE', 'INACTIVE', 'SUSPENDED', 'DELETED']);

export const tenants = pgTable(
  'tenants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    status: tenantStatus('status').notNull().default('ACTIVE'),
    maxUsers: integer('max_users').notNull(),
    maxDevices: integer('max_devices').notNull(),
    ...auditTimestamps(),
  },
  (table) => [uniqueIndex('tenants_name_key').on(table.name), index('tenants_created_at_idx').on(table.createdAt, table.id)],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    username: text('username').notNull(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    /** Set by the identity work; null until the user has a password. */
    passwordHash: text('password_hash'),
    status: userStatus('status').notNull().default('ACTIVE'),
    failedLoginCount: integer('failed_login_count').notNull().default(0),
    lockedUntil: timestampColumn('locked_until'),
    /** Bumped on every change; copied into events so consumers keep the newest copy. */
    version: integer('version').notNull().default(1),
    ...auditTimestamps(),
  },
  (table) => [
    uniqueIndex('users_email_key').on(table.email),
    uniqueIndex('users_tenant_username_key').on(table.tenantId, table.username),
    index('users_created_at_idx').on(table.createdAt, table.id),
    index('users_tenant_created_at_idx').on(table.tenantId, table.createdAt, table.id),
    index('users_username_idx').on(table.username, table.id),
  ],
);

export type TenantRow = typeof tenants.$inferSelect;
export type NewTenantRow = typeof tenants.$inferInsert;
export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;

/** Transactional outbox and consumer inbox (see @cloudphone/events). */
export { inbox, outbox } from '@cloudphone/events/tables';
