import { type Database, type KeysetSort, type Page, type PageRequest, type SubgraphDatabase, pagesPerParent, rowScopeCondition } from '@cloudphone/db';
import type { RowScope } from '@cloudphone/identity';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { type AnyColumn, type SQL, and, eq, gte, inArray, lt, lte, or, sql } from 'drizzle-orm';
import { type InvoiceRow, balanceTransactions, invoices, orders, plans, usageRecords } from '../database/schema.js';
import { monthOf } from './period.js';

/** A user's invoices, newest period first. */
export const NEWEST_INVOICES_FIRST: KeysetSort = { column: invoices.periodStart, id: invoices.id, direction: 'DESC', kind: 'timestamp' };

/** What picks an invoice's orders and recharges: its user, currency and period. */
export type InvoiceKey = Pick<InvoiceRow, 'id' | 'userId' | 'currency' | 'periodStart' | 'periodEnd'>;

export interface InvoiceOwner {
  userId: string;
  tenantId: string | null;
  currency: string;
}

/** The usage of one device at one price on an invoice (its records added up). */
export interface UsageLineRow {
  invoiceId: string;
  deviceId: string;
  pricePerHourMinor: number | null;
  records: number;
  firstStartedAt: Date;
  lastEndedAt: Date;
  durationMs: number;
  coveredMs: number;
  costMinor: number;
  chargedMinor: number;
  unpaidMinor: number;
}

/** A paid order or a recharge within an invoice's period. */
export interface MoneyLineRow {
  invoiceId: string;
  id: string;
  at: Date;
  amountMinor: number;
  description: string;
  deviceId: string | null;
}

function inScope(scope: RowScope): SQL | undefined {
  return rowScopeCondition(scope, { userId: invoices.userId, tenantId: invoices.tenantId });
}

const sum = (column: AnyColumn) => sql<number>`coalesce(sum(${column}), 0)::bigint`.mapWith(Number);

/** The month an instant falls in, as PostgreSQL computes it in UTC. */
const monthStart = (column: AnyColumn) => sql`date_trunc('month', ${column}, 'UTC')`;

@Injectable()
export class InvoicesRepository {
  constructor(@Inject(DATABASE) private readonly database: SubgraphDatabase) {}

  /** The invoice of `owner` for the month of `at`, opened if missing and locked against closing (FOR SHARE) until the caller commits. */
  private async lockedInvoiceOf(tx: Database, owner: InvoiceOwner, at: Date): Promise<InvoiceRow> {
    const period = monthOf(at);
    await tx.insert(invoices).values({ ...owner, periodStart: period.start, periodEnd: period.end }).onConflictDoNothing();
    const [row] = await tx
      .select()
      .from(invoices)
      .where(and(eq(invoices.userId, owner.userId), eq(invoices.currency, owner.currency), eq(invoices.periodStart, period.start)))
      .for('share');
    if (!row) throw new Error(`invoice of ${owner.userId} for ${period.start.toISOString()} vanished`);
    return row;
  }

  /**
   * The invoice a charge for usage that ended at `endedAt` goes on: that
   * month's, or, once that month is closed (a very late status event), the
   * month of `now`. Held FOR SHARE, so closing waits for the charge to commit.
   */
  async invoiceForCharge(tx: Database, owner: InvoiceOwner, endedAt: Date, now: Date): Promise<InvoiceRow> {
    const invoice = await this.lockedInvoiceOf(tx, owner, endedAt);
    return invoice.status === 'OPEN' ? invoice : this.lockedInvoiceOf(tx, owner, now);
  }

  /** Opens the invoices of months since `since` in which users had paid orders or recharges (idempotent). */
  async openForActivity(since: Date): Promise<void> {
    const from = sql`${since.toISOString()}::timestamptz`;
    await this.database.background.execute(sql`
      insert into ${invoices} (user_id, tenant_id, currency, period_start, period_end)
      select user_id, max(tenant_id::text)::uuid, currency, period_start, period_start + interval '1 month'
      from (
        select ${orders.userId} as user_id, ${orders.tenantId} as tenant_id, ${orders.currency} as currency, ${monthStart(orders.paidAt)} as period_start
          from ${orders} where ${orders.status} in ('PAID', 'REFUNDED') and ${orders.paidAt} >= ${from}
        union all
        select ${balanceTransactions.userId}, ${balanceTransactions.tenantId}, ${balanceTransactions.currency}, ${monthStart(balanceTransactions.createdAt)}
          from ${balanceTransactions} where ${balanceTransactions.type} = 'RECHARGE' and ${balanceTransactions.createdAt} >= ${from}
      ) activity
      group by user_id, currency, period_start
      on conflict do nothing`);
  }

  async findByIds(ids: readonly string[]): Promise<InvoiceRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(invoices).where(inArray(invoices.id, [...ids]));
  }

  /** One page of newest-first invoices within `scope` for each user, in one statement. */
  pagesPerUser(userIds: readonly string[], page: PageRequest, scope: RowScope): Promise<Map<string, Page<InvoiceRow>>> {
    return pagesPerParent<InvoiceRow>(this.database.db, {
      table: invoices,
      parent: invoices.userId,
      parentKey: 'userId',
      parentIds: userIds,
      sort: NEWEST_INVOICES_FIRST,
      page,
      where: inScope(scope),
    });
  }

  /** Open invoices whose period ended at or before `before`. */
  async dueToClose(before: Date, limit: number): Promise<InvoiceRow[]> {
    return this.database.background
      .select()
      .from(invoices)
      .where(and(eq(invoices.status, 'OPEN'), lte(invoices.periodEnd, before)))
      .limit(limit);
  }

  /** Runs `work` with the invoice locked if it is still OPEN (another replica's closing, or a charge onto it, is not under way). */
  async withOpenInvoice<T>(id: string, work: (tx: Database, invoice: InvoiceRow) => Promise<T>): Promise<T | undefined> {
    return this.database.background.transaction(async (tx) => {
      const [invoice] = await tx.select().from(invoices).where(and(eq(invoices.id, id), eq(invoices.status, 'OPEN'))).for('update');
      return invoice ? work(tx, invoice) : undefined;
    });
  }

  /** OPEN -> CLOSED with the totals frozen (compare and set: a second close changes nothing). */
  async close(tx: Database, id: string, totals: Pick<InvoiceRow, 'totalMinor' | 'chargedMinor' | 'dueMinor' | 'creditedMinor'>, closedAt: Date): Promise<boolean> {
    const closed = await tx
      .update(invoices)
      .set({ ...totals, status: 'CLOSED', closedAt, updatedAt: closedAt })
      .where(and(eq(invoices.id, id), eq(invoices.status, 'OPEN')))
      .returning({ id: invoices.id });
    return closed.length > 0;
  }

  /**
   * What the invoices' lines are made of, in three statements for any number
   * of invoices: usage records added up per device and price, paid orders and
   * recharges. Read in `tx` when given (closing), else outside any transaction.
   */
  async lineSources(keys: readonly InvoiceKey[], tx?: Database): Promise<{ usage: UsageLineRow[]; paidOrders: MoneyLineRow[]; recharges: MoneyLineRow[] }> {
    const db = tx ?? this.database.db;
    const [usage, paidOrders, recharges] = await Promise.all([
      this.usageLines(db, keys.map((key) => key.id)),
      this.orderLines(db, keys),
      this.rechargeLines(db, keys),
    ]);
    return { usage, paidOrders, recharges };
  }

  /** Usage lines of the invoices: their usage records added up per device and price. */
  private usageLines(db: Database, invoiceIds: readonly string[]): Promise<UsageLineRow[]> {
    if (invoiceIds.length === 0) return Promise.resolve([]);
    return db
      .select({
        invoiceId: sql<string>`${usageRecords.invoiceId}`,
        deviceId: usageRecords.deviceId,
        pricePerHourMinor: usageRecords.pricePerHourMinor,
        records: sql<number>`count(*)::int`,
        firstStartedAt: sql<Date>`min(${usageRecords.startedAt})`.mapWith(usageRecords.startedAt),
        lastEndedAt: sql<Date>`max(${usageRecords.endedAt})`.mapWith(usageRecords.startedAt),
        durationMs: sum(usageRecords.durationMs),
        coveredMs: sum(usageRecords.coveredMs),
        costMinor: sum(usageRecords.costMinor),
        chargedMinor: sum(usageRecords.chargedMinor),
        unpaidMinor: sum(usageRecords.unpaidMinor),
      })
      .from(usageRecords)
      .where(inArray(usageRecords.invoiceId, [...invoiceIds]))
      .groupBy(usageRecords.invoiceId, usageRecords.deviceId, usageRecords.pricePerHourMinor)
      .orderBy(usageRecords.invoiceId, sql`min(${usageRecords.startedAt})`, usageRecords.deviceId);
  }

  /** Orders paid within each invoice's period, by its user and in its currency. */
  private async orderLines(db: Database, periods: readonly InvoiceKey[]): Promise<MoneyLineRow[]> {
    if (periods.length === 0) return [];
    const rows = await db
      .select({ id: orders.id, userId: orders.userId, currency: orders.currency, paidAt: orders.paidAt, amountMinor: orders.amountMinor, deviceId: orders.deviceId, plan: plans.name })
      .from(orders)
      .innerJoin(plans, eq(plans.id, orders.planId))
      .where(
        and(
          inArray(orders.status, ['PAID', 'REFUNDED']),
          or(...periods.map((invoice) => and(eq(orders.userId, invoice.userId), eq(orders.currency, invoice.currency), gte(orders.paidAt, invoice.periodStart), lt(orders.paidAt, invoice.periodEnd)))),
        ),
      )
      .orderBy(orders.paidAt, orders.id);
    return rows.flatMap((row) => {
      const invoice = periods.find((each) => each.userId === row.userId && each.currency === row.currency && row.paidAt !== null && row.paidAt >= each.periodStart && row.paidAt < each.periodEnd);
      return invoice && row.paidAt ? [{ invoiceId: invoice.id, id: row.id, at: row.paidAt, amountMinor: row.amountMinor, description: `Plan ${row.plan}`, deviceId: row.deviceId }] : [];
    });
  }

  /** Recharges of each invoice's user within its period and currency. */
  private async rechargeLines(db: Database, periods: readonly InvoiceKey[]): Promise<MoneyLineRow[]> {
    if (periods.length === 0) return [];
    const rows = await db
      .select()
      .from(balanceTransactions)
      .where(
        and(
          eq(balanceTransactions.type, 'RECHARGE'),
          or(
            ...periods.map((invoice) =>
              and(eq(balanceTransactions.userId, invoice.userId), eq(balanceTransactions.currency, invoice.currency), gte(balanceTransactions.createdAt, invoice.periodStart), lt(balanceTransactions.createdAt, invoice.periodEnd)),
            ),
          ),
        ),
      )
      .orderBy(balanceTransactions.createdAt, balanceTransactions.id);
    return rows.flatMap((row) => {
      const invoice = periods.find((each) => each.userId === row.userId && each.currency === row.currency && row.createdAt >= each.periodStart && row.createdAt < each.periodEnd);
      return invoice ? [{ invoiceId: invoice.id, id: row.id, at: row.createdAt, amountMinor: row.amountMinor, description: row.description, deviceId: null }] : [];
    });
  }
}
