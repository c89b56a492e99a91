import { auditTimestamps, timestampColumn } from '@cloudphone/db';
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const planTier = pgEnum('plan_tier', ['FREE', 'BASIC', 'PRO', 'ENTERPRISE']);
export const orderStatus = pgEnum('order_status', ['PENDING', 'PAID', 'CANCELLED', 'REFUNDED', 'FAILED']);

export const plans = pgTable(
  'plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    tier: planTier('tier').notNull(),
    /** Price per period in minor units of `currency` (cents, yen...). */
    priceMinor: bigint('price_minor', { mode: 'number' }).notNull(),
    /** ISO 4217 code, three upper-case letters. */
    currency: text('currency').notNull(),
    periodDays: integer('period_days').notNull(),
    cpuCores: integer('cpu_cores').notNull(),
    memoryMb: integer('memory_mb').notNull(),
    storageGb: integer('storage_gb').notNull(),
    maxDevices: integer('max_devices').notNull(),
    active: boolean('active').notNull().default(true),
    ...auditTimestamps(),
  },
  (table) => [
    uniqueIndex('plans_name_key').on(table.name),
    index('plans_created_at_idx').on(table.createdAt, table.id),
    check('plans_price_minor_check', sql`${table.priceMinor} >= 0`),
    check('plans_currency_check', sql`${table.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Owned by the users subgraph; no foreign key across services. */
    userId: uuid('user_id').notNull(),
    /**
     * The user's tenant, copied with the other user copies: what a TENANT data
     * scope filters on. Null on orders from before this column until a user
     * event refreshes them; such orders are reachable only by the ALL scope
     * (and their own user): fail closed.
     */
    tenantId: uuid('tenant_id'),
    /** Owned by the devices subgraph; null for an order not tied to a device. */
    deviceId: uuid('device_id'),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    /** What the plan cost when the order was placed, in minor units of `currency`. */
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    status: orderStatus('status').notNull().default('PENDING'),
    /** Copies of the user at order time (display name, e-mail, version), for sorting and receipts. */
    userName: text('user_name').notNull(),
    userEmail: text('user_email').notNull(),
    userVersion: integer('user_version').notNull(),
    /** Copies of the device at order time; null without a device. */
    deviceName: text('device_name'),
    deviceVersion: integer('device_version'),
    ...auditTimestamps(),
    paidAt: timestampColumn('paid_at'),
    /** A pending order is no longer payable from this moment. */
    expiresAt: timestampColumn('expires_at').notNull(),
  },
  (table) => [
    index('orders_user_created_at_idx').on(table.userId, table.createdAt, table.id),
    index('orders_device_created_at_idx').on(table.deviceId, table.createdAt, table.id),
    index('orders_created_at_idx').on(table.createdAt, table.id),
    index('orders_tenant_created_at_idx').on(table.tenantId, table.createdAt, table.id),
    index('orders_status_created_at_idx').on(table.status, table.createdAt, table.id),
    index('orders_user_name_idx').on(table.userName, table.id),
    index('orders_user_email_idx').on(table.userEmail, table.id),
    check('orders_amount_minor_check', sql`${table.amountMinor} >= 0`),
    check('orders_currency_check', sql`${table.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export type PlanRow = typeof plans.$inferSelect;
export type NewPlanRow = typeof plans.$inferInsert;
export type OrderRow = typeof orders.$inferSelect;
export type NewOrderRow = typeof orders.$inferInsert;

/** Transactional outbox and consumer inbox (see @cloudphone/events). */
export { inbox, outbox } from '@cloudphone/events/tables';
