import { type Database, type KeysetSort, type Page, type PageRequest, type SubgraphDatabase, afterCursor, orderByKeyset, pageOf } from '@cloudphone/db';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { and, count, eq, isNull, or, sql } from 'drizzle-orm';
import { type BillingRuleRow, type NewBillingRuleRow, billingRules } from '../database/schema.js';
import type { RuleSpec } from './rule-match.js';

/** Rules in the order they were first set. */
export const RULE_SORT: KeysetSort = { column: billingRules.createdAt, id: billingRules.id, direction: 'ASC', kind: 'timestamp' };

@Injectable()
export class BillingRulesRepository {
  constructor(@Inject(DATABASE) private readonly database: SubgraphDatabase) {}

  async findPage(page: PageRequest, provider: string | undefined): Promise<Page<BillingRuleRow>> {
    const { db } = this.database;
    const filter = provider === undefined ? undefined : eq(billingRules.provider, provider);
    const rows = await db.select().from(billingRules).where(and(filter, afterCursor(RULE_SORT, page.after))).orderBy(...orderByKeyset(RULE_SORT)).limit(page.limit + 1);
    return pageOf(rows, page.limit, () => db.select({ value: count() }).from(billingRules).where(filter));
  }

  /** The rules that could price a device (its exact spec's and its provider's default), read in the caller's transaction. */
  candidatesFor(tx: Database, provider: string, spec: RuleSpec): Promise<BillingRuleRow[]> {
    return tx
      .select()
      .from(billingRules)
      .where(
        and(
          eq(billingRules.provider, provider),
          or(
            isNull(billingRules.cpuCores),
            and(eq(billingRules.cpuCores, spec.cpuCores), eq(billingRules.memoryMb, spec.memoryMb), eq(billingRules.storageGb, spec.storageGb)),
          ),
        ),
      );
  }

  /** Inserts the rule of a provider and spec, or sets the price of the one there is (one statement: concurrent sets do not collide). */
  async upsert(rule: Pick<NewBillingRuleRow, 'provider' | 'cpuCores' | 'memoryMb' | 'storageGb' | 'pricePerHourMinor' | 'currency'>): Promise<BillingRuleRow> {
    const set = { pricePerHourMinor: rule.pricePerHourMinor, currency: rule.currency, updatedAt: new Date() };
    const insert = this.database.db.insert(billingRules).values(rule);
    const [row] = await (rule.cpuCores === null || rule.cpuCores === undefined
      ? insert.onConflictDoUpdate({ target: billingRules.provider, targetWhere: sql`${billingRules.cpuCores} is null`, set }).returning()
      : insert.onConflictDoUpdate({ target: [billingRules.provider, billingRules.cpuCores, billingRules.memoryMb, billingRules.storageGb], set }).returning());
    if (!row) throw new Error('upsert into billing_rules returned no row');
    return row;
  }
}
