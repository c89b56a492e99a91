import type { PgTable } from 'drizzle-orm/pg-core';
import { insertInChunks } from './bulk.js';
import type { Database, SubgraphDatabase } from './database.js';

/** One list of a subgraph's seed and the table its rows go to. */
export interface SeedTable<TSeed> {
  readonly key: keyof TSeed & string;
  readonly table: PgTable;
}

/**
 * How a subgraph's seed becomes rows: its lists in load order (parents
 * before children), then what the subgraph derives from them, in the same
 * transaction. The demo seed inserts it (`seedWithInserts`, PGlite or
 * PostgreSQL); `npm run seed` copies the same plan in bulk (COPY, PostgreSQL).
 */
export interface SeedPlan<TSeed> {
  readonly tables: readonly SeedTable<TSeed>[];
  /**
   * Rows the subgraph derives once the tables are loaded (e.g. what
   * registration gives every user). `extras`: the seed's lists that are no
   * table (e.g. role grants by role name).
   */
  afterLoad?(tx: Database, extras: Partial<TSeed>): Promise<void>;
}

/** The seed's lists that `plan` loads into no table, for `afterLoad`. */
export function seedExtras<TSeed>(plan: SeedPlan<TSeed>, data: Partial<TSeed>): Partial<TSeed> {
  const tableKeys = new Set<string>(plan.tables.map((entry) => entry.key));
  return Object.fromEntries(Object.entries(data).filter(([key]) => !tableKeys.has(key))) as Partial<TSeed>;
}

/** A subgraph's seed function: inserts the plan's rows in bounded statements and derives the rest, in one transaction. */
export function seedWithInserts<TSeed>(plan: SeedPlan<TSeed>): (database: SubgraphDatabase, data: TSeed) => Promise<void> {
  return async (database, data) => {
    await database.db.transaction(async (tx) => {
      for (const { key, table } of plan.tables) {
        const rows = (data[key] ?? []) as PgTable['$inferInsert'][];
        await insertInChunks(rows, (chunk) => tx.insert(table).values(chunk));
      }
      await plan.afterLoad?.(tx, seedExtras(plan, data));
    });
  };
}
