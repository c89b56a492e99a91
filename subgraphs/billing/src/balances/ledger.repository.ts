import { type Database, type KeysetSort, type Page, type PageRequest, type SubgraphDatabase, afterCursor, orderByKeyset, pageOf } from '@cloudphone/db';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { type BalanceRow, type BalanceTransactionRow, balanceTransactions, balances } from '../database/schema.js';

export type LedgerEntryType = BalanceTransactionRow['type'];

/** A balance's movements: newest first. */
export const NEWEST_ENTRIES_FIRST: KeysetSort = { column: balanceTransactions.createdAt, id: balanceTransactions.id, direction: 'DESC', kind: 'timestamp' };

/** One movement of a user's balance; `amountMinor` is signed (credit > 0, debit < 0). */
export interface LedgerEntry {
  userId: string;
  tenantId: string | null;
  currency: string;
  type: LedgerEntryType;
  amountMinor: number;
  /** Unique per movement: posting it again finds the first entry and moves nothing. */
  idempotencyKey: string;
  referenceType: string | null;
  referenceId: string | null;
  description: string;
}

export type PostOutcome =
  | { kind: 'posted'; entry: BalanceTransactionRow; balanceBeforeMinor: number }
  | { kind: 'duplicate'; entry: BalanceTransactionRow }
  | { kind: 'insufficient'; balanceMinor: number };

/**
 * The balance ledger. Every movement locks the user's balance row, so
 * concurrent debits of one balance queue behind each other and each sees the
 * balance the previous one left: a debit larger than what is there is
 * refused, never half-applied, and the balance stays the sum of its entries.
 */
@Injectable()
export class LedgerRepository {
  constructor(@Inject(DATABASE) private readonly database: SubgraphDatabase) {}

  /** Posts an entry inside the caller's transaction (see PostOutcome). */
  async post(tx: Database, entry: LedgerEntry): Promise<PostOutcome> {
    if (!Number.isSafeInteger(entry.amountMinor) || entry.amountMinor === 0) throw new RangeError(`a ledger amount must be a non-zero safe integer, got ${entry.amountMinor}`);
    await tx.insert(balances).values({ userId: entry.userId, currency: entry.currency, tenantId: entry.tenantId }).onConflictDoNothing();
    const [balance] = await tx
      .select()
      .from(balances)
      .where(and(eq(balances.userId, entry.userId), eq(balances.currency, entry.currency)))
      .for('update');
    if (!balance) throw new Error(`balance of ${entry.userId} in ${entry.currency} vanished under its lock`);
    // Checked under the balance lock: a concurrent post of the same key has committed (or not) by now.
    const [existing] = await tx.select().from(balanceTransactions).where(eq(balanceTransactions.idempotencyKey, entry.idempotencyKey));
    if (existing) return { kind: 'duplicate', entry: existing };
    const after = balance.balanceMinor + entry.amountMinor;
    if (after < 0) return { kind: 'insufficient', balanceMinor: balance.balanceMinor };
    await tx
      .update(balances)
      .set({ balanceMinor: after, updatedAt: new Date(), tenantId: balance.tenantId ?? entry.tenantId })
      .where(and(eq(balances.userId, entry.userId), eq(balances.currency, entry.currency)));
    const [posted] = await tx
      .insert(balanceTransactions)
      .values({ ...entry, balanceAfterMinor: after })
      .returning();
    if (!posted) throw new Error('insert into balance_transactions returned no row');
    return { kind: 'posted', entry: posted, balanceBeforeMinor: balance.balanceMinor };
  }

  /** The entry posted under a key, if any. */
  async findByKey(idempotencyKey: string): Promise<BalanceTransactionRow | undefined> {
    const [row] = await this.database.db.select().from(balanceTransactions).where(eq(balanceTransactions.idempotencyKey, idempotencyKey));
    return row;
  }

  async balancesOf(userIds: readonly string[], currency: string): Promise<BalanceRow[]> {
    if (userIds.length === 0) return [];
    return this.database.db
      .select()
      .from(balances)
      .where(and(inArray(balances.userId, [...userIds]), eq(balances.currency, currency)));
  }

  /** The sum of a user's entries in a currency (what the balance must equal). */
  async ledgerSum(userId: string, currency: string): Promise<number> {
    const [row] = await this.database.db
      .select({ total: sql<string>`coalesce(sum(${balanceTransactions.amountMinor}), 0)` })
      .from(balanceTransactions)
      .where(and(eq(balanceTransactions.userId, userId), eq(balanceTransactions.currency, currency)));
    return Number(row?.total ?? 0);
  }

  /** A page of a user's movements in a currency, newest first. */
  async findPage(userId: string, currency: string, page: PageRequest): Promise<Page<BalanceTransactionRow>> {
    const { db } = this.database;
    const filter = and(eq(balanceTransactions.userId, userId), eq(balanceTransactions.currency, currency));
    const rows = await db
        .select()
        .from(balanceTransactions)
        .where(and(filter, afterCursor(NEWEST_ENTRIES_FIRST, page.after)))
        .orderBy(...orderByKeyset(NEWEST_ENTRIES_FIRST))
        .limit(page.limit + 1);
    return pageOf(rows, page.limit, () => db.select({ value: count() }).from(balanceTransactions).where(filter));
  }
}
