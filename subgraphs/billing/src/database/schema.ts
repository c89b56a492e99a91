import { auditTimestamps, jsonValue, timestampColumn } from '@cloudphone/db';
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

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
    /** Why the order was cancelled or failed (payment declined, no capacity...); null otherwise. */
    statusReason: text('status_reason'),
    /** The buyer's key of the purchase that placed the order: purchasePlan repeated with it returns this order. */
    purchaseKey: text('purchase_key'),
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
    uniqueIndex('orders_user_purchase_key').on(table.userId, table.purchaseKey),
    check('orders_amount_minor_check', sql`${table.amountMinor} >= 0`),
    check('orders_currency_check', sql`${table.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export const paymentMethod = pgEnum('payment_method', ['BALANCE', 'CARD', 'ALIPAY', 'WECHAT']);
export const paymentStatus = pgEnum('payment_status', ['PENDING', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'REFUNDING', 'REFUNDED', 'CANCELLED']);
/** What a payment pays for: an order, or credit on the balance. */
export const paymentPurpose = pgEnum('payment_purpose', ['ORDER', 'RECHARGE']);
export const ledgerEntryType = pgEnum('ledger_entry_type', ['RECHARGE', 'CONSUME', 'REFUND', 'ADJUSTMENT']);
export const sagaStatus = pgEnum('saga_status', ['RUNNING', 'COMPENSATING', 'COMPLETED', 'COMPENSATED']);

/**
 * A user's balance in one currency. `balance_minor` is a cache of the sum of
 * the user's ledger entries in that currency, updated in the same
 * transaction as the entry (the ledger is the truth; a check keeps it >= 0,
 * so a debit that would overdraw fails instead of going through).
 */
export const balances = pgTable(
  'balances',
  {
    userId: uuid('user_id').notNull(),
    currency: text('currency').notNull(),
    /** The user's tenant when the balance was opened (data scopes). */
    tenantId: uuid('tenant_id'),
    balanceMinor: bigint('balance_minor', { mode: 'number' }).notNull().default(0),
    ...auditTimestamps(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.currency] }),
    index('balances_tenant_idx').on(table.tenantId),
    check('balances_not_negative_check', sql`${table.balanceMinor} >= 0`),
    check('balances_currency_check', sql`${table.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/**
 * The balance ledger: append-only, one row per movement (credit positive,
 * debit negative). `idempotency_key` is unique: a step retried after a crash
 * finds its entry instead of moving the money twice.
 */
export const balanceTransactions = pgTable(
  'balance_transactions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    tenantId: uuid('tenant_id'),
    currency: text('currency').notNull(),
    type: ledgerEntryType('type').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    /** The balance right after this entry. */
    balanceAfterMinor: bigint('balance_after_minor', { mode: 'number' }).notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** What the movement is for: an order, a payment, a usage record... */
    referenceType: text('reference_type'),
    referenceId: uuid('reference_id'),
    description: text('description').notNull(),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('balance_transactions_idempotency_key').on(table.idempotencyKey),
    index('balance_transactions_user_created_at_idx').on(table.userId, table.currency, table.createdAt, table.id),
    check('balance_transactions_amount_check', sql`${table.amountMinor} <> 0`),
    check('balance_transactions_after_check', sql`${table.balanceAfterMinor} >= 0`),
  ],
);

/**
 * A payment for an order or a recharge. `idempotency_key` is what the
 * provider is asked with, so a retried request never charges twice;
 * `provider_reference` is the provider's id for it (null for BALANCE).
 */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    purpose: paymentPurpose('purpose').notNull(),
    orderId: uuid('order_id').references(() => orders.id),
    userId: uuid('user_id').notNull(),
    tenantId: uuid('tenant_id'),
    method: paymentMethod('method').notNull(),
    status: paymentStatus('status').notNull().default('PENDING'),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    provider: text('provider'),
    providerReference: text('provider_reference'),
    failureReason: text('failure_reason'),
    ...auditTimestamps(),
    succeededAt: timestampColumn('succeeded_at'),
    refundedAt: timestampColumn('refunded_at'),
  },
  (table) => [
    uniqueIndex('payments_idempotency_key').on(table.idempotencyKey),
    uniqueIndex('payments_provider_reference_key').on(table.provider, table.providerReference),
    index('payments_order_idx').on(table.orderId, table.createdAt, table.id),
    index('payments_user_created_at_idx').on(table.userId, table.createdAt, table.id),
    check('payments_amount_check', sql`${table.amountMinor} > 0`),
    check('payments_order_check', sql`(${table.purpose} = 'ORDER') = (${table.orderId} is not null)`),
  ],
);

/**
 * Every provider callback accepted, by the provider's event id: a
 * redelivered callback finds its row and changes nothing.
 */
export const paymentCallbacks = pgTable('payment_callbacks', {
  provider: text('provider').notNull(),
  eventId: text('event_id').notNull(),
  paymentId: uuid('payment_id')
    .notNull()
    .references(() => payments.id),
  outcome: text('outcome').notNull(),
  receivedAt: timestampColumn('received_at').notNull().defaultNow(),
}, (table) => [primaryKey({ columns: [table.provider, table.eventId] })]);

/**
 * Persisted sagas (multi-service actions) this subgraph orchestrates. A
 * process claims a due saga by taking its lease; a saga whose process died
 * is claimed again once the lease has run out, and resumes at `step`.
 */
export const sagas = pgTable(
  'sagas',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    status: sagaStatus('status').notNull().default('RUNNING'),
    /** The next step to run (forward while RUNNING, compensation while COMPENSATING). */
    step: text('step').notNull(),
    state: jsonValue('state').notNull(),
    /** The entity the saga is about (the order of a purchase). */
    subjectId: uuid('subject_id').notNull(),
    attempts: integer('attempts').notNull().default(0),
    wakeAt: timestampColumn('wake_at').notNull().defaultNow(),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestampColumn('lease_until'),
    lastError: text('last_error'),
    /** Why the saga is being undone (shown with the order). */
    failureReason: text('failure_reason'),
    ...auditTimestamps(),
    finishedAt: timestampColumn('finished_at'),
  },
  (table) => [
    uniqueIndex('sagas_kind_subject_key').on(table.kind, table.subjectId),
    index('sagas_due_idx').on(table.status, table.wakeAt),
  ],
);

export type BalanceRow = typeof balances.$inferSelect;
export type BalanceTransactionRow = typeof balanceTransactions.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;
export type NewPaymentRow = typeof payments.$inferInsert;
export type SagaRow = typeof sagas.$inferSelect;

export type PlanRow = typeof plans.$inferSelect;
export type NewPlanRow = typeof plans.$inferInsert;
export type OrderRow = typeof orders.$inferSelect;
export type NewOrderRow = typeof orders.$inferInsert;

/** The providers a device can run on (the devices subgraph's DeviceProvider). */
export const DEVICE_PROVIDERS = ['REDROID', 'PHYSICAL', 'HUAWEI_CPH', 'ALIYUN_ECP'] as const;
export type DeviceProviderValue = (typeof DEVICE_PROVIDERS)[number];
const providerCheck = (column: unknown) => sql`${column} in ('REDROID', 'PHYSICAL', 'HUAWEI_CPH', 'ALIYUN_ECP')`;

/** Why a usage record ended: the device left RUNNING, or the periodic sweep cut it (a continuation follows). */
export const usageEnd = pgEnum('usage_end', ['STATUS_CHANGE', 'PERIODIC_CUT']);
export const invoiceStatus = pgEnum('invoice_status', ['OPEN', 'CLOSED']);

/**
 * Hourly price of running a device, per provider and spec. A rule with a
 * spec (cpu, memory, storage all set) matches devices of exactly that spec;
 * the provider's default rule (spec all null, at most one per provider)
 * matches the provider's devices no spec rule matches. No rule: no charge.
 */
export const billingRules = pgTable(
  'billing_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    provider: text('provider').notNull(),
    cpuCores: integer('cpu_cores'),
    memoryMb: integer('memory_mb'),
    storageGb: integer('storage_gb'),
    /** Price of one hour of running, in minor units of `currency`. */
    pricePerHourMinor: bigint('price_per_hour_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    ...auditTimestamps(),
  },
  (table) => [
    uniqueIndex('billing_rules_spec_key').on(table.provider, table.cpuCores, table.memoryMb, table.storageGb),
    uniqueIndex('billing_rules_default_key').on(table.provider).where(sql`${table.cpuCores} is null`),
    index('billing_rules_created_at_idx').on(table.createdAt, table.id),
    check('billing_rules_provider_check', providerCheck(table.provider)),
    check('billing_rules_spec_check', sql`(${table.cpuCores} is null) = (${table.memoryMb} is null) and (${table.cpuCores} is null) = (${table.storageGb} is null)`),
    check('billing_rules_price_check', sql`${table.pricePerHourMinor} >= 0`),
    check('billing_rules_currency_check', sql`${table.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/**
 * Devices metering has seen: owner (from the status events) and provider and
 * spec (asked of the devices subgraph once; they never change). The row is
 * what the status consumer and the sweep lock to work on a device one at a time.
 */
export const meteredDevices = pgTable('metered_devices', {
  deviceId: uuid('device_id').primaryKey(),
  userId: uuid('user_id').notNull(),
  tenantId: uuid('tenant_id'),
  provider: text('provider'),
  cpuCores: integer('cpu_cores'),
  memoryMb: integer('memory_mb'),
  storageGb: integer('storage_gb'),
  createdAt: timestampColumn('created_at').notNull().defaultNow(),
});

/**
 * Every device.status.changed metering applied, by device version: a
 * duplicate finds its row, and an event that arrives out of order finds the
 * neighbours it pairs with (a late RUNNING finds the stop that ends it).
 */
export const meteringStatusEvents = pgTable(
  'metering_status_events',
  {
    deviceId: uuid('device_id').notNull(),
    version: integer('version').notNull(),
    status: text('status').notNull(),
    previousStatus: text('previous_status').notNull(),
    changedAt: timestampColumn('changed_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.deviceId, table.version] })],
);

/**
 * Running time of a device, in segments: a run opens with the RUNNING event
 * of version `run_version` (segment 0) and is cut by the periodic sweep into
 * segments 1, 2...; the last one ends when the device leaves RUNNING. Each
 * closed segment is charged once (ledger key `usage:<id>`). `carry_in_units`
 * is the part of a minor unit the run has already paid for (ms x minor/hour),
 * so cutting a run does not round it up more than once.
 */
export const usageRecords = pgTable(
  'usage_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deviceId: uuid('device_id').notNull(),
    userId: uuid('user_id').notNull(),
    tenantId: uuid('tenant_id'),
    provider: text('provider').notNull(),
    cpuCores: integer('cpu_cores').notNull(),
    memoryMb: integer('memory_mb').notNull(),
    storageGb: integer('storage_gb').notNull(),
    runVersion: integer('run_version').notNull(),
    segment: integer('segment').notNull(),
    startedAt: timestampColumn('started_at').notNull(),
    endedAt: timestampColumn('ended_at'),
    endedBy: usageEnd('ended_by'),
    /** The rule in force when the segment opened (null: none matched, free). */
    ruleId: uuid('rule_id').references(() => billingRules.id),
    pricePerHourMinor: bigint('price_per_hour_minor', { mode: 'number' }),
    currency: text('currency').notNull(),
    carryInUnits: bigint('carry_in_units', { mode: 'number' }).notNull().default(0),
    durationMs: bigint('duration_ms', { mode: 'number' }),
    /** Of the duration, what a paid plan order for the device covered (not charged). */
    coveredMs: bigint('covered_ms', { mode: 'number' }),
    costMinor: bigint('cost_minor', { mode: 'number' }),
    /** Debited from the balance; `unpaid_minor` is what the balance could not cover (due on the invoice). */
    chargedMinor: bigint('charged_minor', { mode: 'number' }),
    unpaidMinor: bigint('unpaid_minor', { mode: 'number' }),
    invoiceId: uuid('invoice_id'),
    ...auditTimestamps(),
  },
  (table) => [
    uniqueIndex('usage_records_run_segment_key').on(table.deviceId, table.runVersion, table.segment),
    index('usage_records_device_started_at_idx').on(table.deviceId, table.startedAt, table.id),
    index('usage_records_open_idx').on(table.startedAt).where(sql`${table.endedAt} is null`),
    index('usage_records_invoice_idx').on(table.invoiceId),
    check('usage_records_provider_check', providerCheck(table.provider)),
    check('usage_records_ended_check', sql`${table.endedAt} is null or ${table.endedAt} >= ${table.startedAt}`),
    check('usage_records_money_check', sql`${table.costMinor} >= 0 and ${table.chargedMinor} >= 0 and ${table.unpaidMinor} >= 0 and ${table.costMinor} = ${table.chargedMinor} + ${table.unpaidMinor}`),
  ],
);

/**
 * One invoice per user, currency and calendar month (UTC). Opened when the
 * month has something to bill; its lines are read from usage records
 * (`invoice_id`), paid orders and recharges of the period. Closing (after
 * the month and a grace period) freezes the totals, once: OPEN -> CLOSED.
 */
export const invoices = pgTable(
  'invoices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    tenantId: uuid('tenant_id'),
    currency: text('currency').notNull(),
    periodStart: timestampColumn('period_start').notNull(),
    periodEnd: timestampColumn('period_end').notNull(),
    status: invoiceStatus('status').notNull().default('OPEN'),
    totalMinor: bigint('total_minor', { mode: 'number' }),
    chargedMinor: bigint('charged_minor', { mode: 'number' }),
    dueMinor: bigint('due_minor', { mode: 'number' }),
    creditedMinor: bigint('credited_minor', { mode: 'number' }),
    closedAt: timestampColumn('closed_at'),
    ...auditTimestamps(),
  },
  (table) => [
    uniqueIndex('invoices_user_period_key').on(table.userId, table.currency, table.periodStart),
    index('invoices_user_period_idx').on(table.userId, table.periodStart, table.id),
    index('invoices_open_idx').on(table.periodEnd).where(sql`${table.status} = 'OPEN'`),
    check('invoices_currency_check', sql`${table.currency} ~ '^[A-Z]{3}$'`),
    check('invoices_closed_check', sql`(${table.status} = 'CLOSED') = (${table.closedAt} is not null)`),
  ],
);

export type BillingRuleRow = typeof billingRules.$inferSelect;
export type NewBillingRuleRow = typeof billingRules.$inferInsert;
export type MeteredDeviceRow = typeof meteredDevices.$inferSelect;
export type MeteringStatusEventRow = typeof meteringStatusEvents.$inferSelect;
export type UsageRecordRow = typeof usageRecords.$inferSelect;
export type NewUsageRecordRow = typeof usageRecords.$inferInsert;
export type InvoiceRow = typeof invoices.$inferSelect;

/** Transactional outbox and consumer inbox (see @cloudphone/events). */
export { inbox, outbox } from '@cloudphone/events/tables';
