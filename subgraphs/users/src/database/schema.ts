import { auditTimestamps, jsonValue, timestampColumn } from '@cloudphone/db';
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

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

/**
 * One login: its refresh token (stored as a SHA-256 hash; the token itself is
 * shown once), rotated on every refresh. Rotations share a family: a rotated
 * token presented again means it was stolen, and the whole family is revoked.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    familyId: uuid('family_id').notNull(),
    refreshTokenHash: text('refresh_token_hash').notNull(),
    expiresAt: timestampColumn('expires_at').notNull(),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
    lastUsedAt: timestampColumn('last_used_at'),
    revokedAt: timestampColumn('revoked_at'),
    revokeReason: text('revoke_reason'),
  },
  (table) => [
    uniqueIndex('sessions_refresh_token_hash_key').on(table.refreshTokenHash),
    index('sessions_user_idx').on(table.userId),
    index('sessions_family_idx').on(table.familyId),
  ],
);

/**
 * A user's API key: its public prefix finds the row, the secret is stored as
 * SHA-256 only (shown once, at creation). The key acts as its owner, narrowed
 * to `scopes` (permission strings). Revoking sets `revoked_at`; rows are kept
 * for the audit trail.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    scopes: text('scopes').array().notNull(),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
    /** Set by verification at most once a minute per key. */
    lastUsedAt: timestampColumn('last_used_at'),
    expiresAt: timestampColumn('expires_at'),
    revokedAt: timestampColumn('revoked_at'),
  },
  (table) => [
    uniqueIndex('api_keys_prefix_key').on(table.prefix),
    index('api_keys_user_created_at_idx').on(table.userId, table.createdAt, table.id),
    index('api_keys_tenant_created_at_idx').on(table.tenantId, table.createdAt, table.id),
  ],
);

/** Every change of access (logins, lockouts, logouts, ...), with the request that made it. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    actorUserId: uuid('actor_user_id'),
    action: text('action').notNull(),
    resource: text('resource').notNull(),
    resourceId: text('resource_id'),
    summary: jsonb('summary').$type<Record<string, string | number | boolean | null>>().notNull().default({}),
    requestId: text('request_id'),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
  },
  (table) => [index('audit_log_resource_idx').on(table.resource, table.resourceId, table.createdAt), index('audit_log_created_at_idx').on(table.createdAt)],
);

export const dataScope = pgEnum('data_scope', ['SELF', 'TENANT', 'ALL']);
export const fieldRule = pgEnum('field_rule', ['HIDDEN', 'MASKED', 'READ_ONLY']);

/** A named set of grants (SUPER_ADMIN, ADMIN, USER, GUEST are created by a migration). */
export const roles = pgTable('roles', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique('roles_name_key'),
  description: text('description').notNull().default(''),
  createdAt: timestampColumn('created_at').notNull().defaultNow(),
});

/** `resource:action` pairs a role may use (e.g. `device:write`, `user:read:pii`). */
export const permissions = pgTable('permissions', {
  code: text('code').primaryKey(),
  description: text('description').notNull().default(''),
});

export const rolePermissions = pgTable(
  'role_permissions',
  {
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
    permission: text('permission')
      .notNull()
      .references(() => permissions.code),
  },
  (table) => [primaryKey({ columns: [table.roleId, table.permission] })],
);

/** How far a role reaches for one resource. */
export const roleDataScopes = pgTable(
  'role_data_scopes',
  {
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
    resource: text('resource').notNull(),
    scope: dataScope('scope').notNull(),
  },
  (table) => [primaryKey({ columns: [table.roleId, table.resource] })],
);

/** What a role may not do with one field of a resource. */
export const roleFieldRules = pgTable(
  'role_field_rules',
  {
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
    resource: text('resource').notNull(),
    field: text('field').notNull(),
    rule: fieldRule('rule').notNull(),
  },
  (table) => [primaryKey({ columns: [table.roleId, table.resource, table.field] })],
);

export const userRoles = pgTable(
  'user_roles',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id),
    grantedAt: timestampColumn('granted_at').notNull().defaultNow(),
    grantedBy: uuid('granted_by'),
  },
  (table) => [primaryKey({ columns: [table.userId, table.roleId] }), index('user_roles_role_idx').on(table.roleId)],
);

export const quotaStatus = pgEnum('quota_status', ['ACTIVE', 'SUSPENDED']);

/**
 * What one user may hold: devices, devices running at once, and the cpu,
 * memory and storage of its devices together. Every user has one, created with
 * the user (defaults from config); the devices subgraph counts the usage and
 * enforces it. SUSPENDED: no device may be created or started.
 */
export const userQuotas = pgTable(
  'user_quotas',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id),
    maxDevices: integer('max_devices').notNull(),
    maxRunningDevices: integer('max_running_devices').notNull(),
    maxCpuCores: integer('max_cpu_cores').notNull(),
    maxMemoryMb: integer('max_memory_mb').notNull(),
    maxStorageGb: integer('max_storage_gb').notNull(),
    status: quotaStatus('status').notNull().default('ACTIVE'),
    /** Bumped on every change. */
    version: integer('version').notNull().default(1),
    ...auditTimestamps(),
  },
  (table) => [
    check(
      'user_quotas_limits_check',
      sql`${table.maxDevices} >= 0 and ${table.maxRunningDevices} >= 0 and ${table.maxCpuCores} >= 0 and ${table.maxMemoryMb} >= 0 and ${table.maxStorageGb} >= 0`,
    ),
  ],
);

/**
 * Platform settings every service reads (through @cloudphone/system-config):
 * one JSON value per key, of the shape the key declares there. `version`
 * grows with every change, so caches keep the newest copy.
 */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonValue('value').notNull(),
  description: text('description').notNull().default(''),
  version: integer('version').notNull().default(1),
  updatedAt: timestampColumn('updated_at').notNull().defaultNow(),
  updatedBy: uuid('updated_by'),
});

/**
 * Labels of codes (DEVICE_STATUS RUNNING -> "Running"), one dictionary per
 * type. Versions are one sequence per type (each change takes the type's
 * highest version plus one), so a dictionary's version is its highest
 * entry version and grows with every change of any of its entries.
 */
export const dictionaryEntries = pgTable(
  'dictionary_entries',
  {
    type: text('type').notNull(),
    code: text('code').notNull(),
    label: text('label').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    version: integer('version').notNull().default(1),
    updatedAt: timestampColumn('updated_at').notNull().defaultNow(),
    updatedBy: uuid('updated_by'),
  },
  (table) => [primaryKey({ columns: [table.type, table.code] })],
);

export type TenantRow = typeof tenants.$inferSelect;
export type NewTenantRow = typeof tenants.$inferInsert;
export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;
export type SessionRow = typeof sessions.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type AuditLogRow = typeof auditLog.$inferSelect;
export type RoleRow = typeof roles.$inferSelect;
export type UserQuotaRow = typeof userQuotas.$inferSelect;
export type NewUserQuotaRow = typeof userQuotas.$inferInsert;
export type SettingRow = typeof settings.$inferSelect;
export type DictionaryEntryRow = typeof dictionaryEntries.$inferSelect;

/** Transactional outbox and consumer inbox (see @cloudphone/events). */
export { inbox, outbox } from '@cloudphone/events/tables';
