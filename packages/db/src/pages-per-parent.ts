import { type SQL, and, eq, getTableColumns, inArray, lte, or, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './database.js';
import { type KeysetSort, type Page, type PageRequest, afterCursor, trimPage } from './keyset.js';

export interface PagesPerParentOptions<TRow> {
  table: PgTable;
  /** The foreign-key column that groups rows by parent (e.g. devices.user_id). */
  parent: PgColumn;
  /** The same column's property name on a row. */
  parentKey: keyof TRow & string;
  parentIds: readonly string[];
  sort: KeysetSort;
  page: PageRequest;
  where?: SQL | undefined;
}

/**
 * One page of children for each of many parents in a single statement, with
 * each parent's total count: window functions rank and count rows within each
 * parent, so resolving a connection on N parents costs one query, not N.
 */
export async function pagesPerParent<TRow extends Record<string, unknown>>(
  db: Database,
  options: PagesPerParentOptions<TRow>,
): Promise<Map<string, Page<TRow>>> {
  const { table, parent, sort, page } = options;
  const pages = new Map<string, Page<TRow>>();
  for (const id of options.parentIds) pages.set(id, { rows: [], hasNextPage: false, totalCount: 0 });
  if (options.parentIds.length === 0) return pages;

  const isAfterCursor = afterCursor(sort, page.after) ?? sql`true`;
  const direction = sql.raw(sort.direction === 'ASC' ? 'asc' : 'desc');
  const ranked = db
    .select({
      ...getTableColumns(table),
      pageTotal: sql<number>`(count(*) over (partition by ${parent}))::int`.as('page_total'),
      pageAfter: sql<boolean>`(${isAfterCursor})`.as('page_after'),
      // One row of every parent is kept even when none is after the cursor, to carry its total.
      pageFirst: sql<boolean>`(row_number() over (partition by ${parent}) = 1)`.as('page_first'),
      pageRank: sql<number>`(count(*) filter (where ${isAfterCursor}) over (partition by ${parent} order by ${sort.column} ${direction}, ${sort.id} ${direction}))::int`.as('page_rank'),
    })
    .from(table)
    .where(and(inArray(parent, [...options.parentIds]), options.where))
    .as('ranked');
  const rows = (await db
    .select()
    .from(ranked)
    .where(or(eq(ranked.pageFirst, true), and(eq(ranked.pageAfter, true), lte(ranked.pageRank, page.limit + 1))))) as unknown as (TRow & {
    pageTotal: number;
    pageAfter: boolean;
    pageFirst: boolean;
    pageRank: number;
  })[];

  const grouped = new Map<string, { total: number; rows: (TRow & { pageRank: number })[] }>();
  for (const row of rows) {
    const key = String(row[options.parentKey]);
    const group = grouped.get(key) ?? { total: Number(row.pageTotal), rows: [] };
    if (row.pageAfter && row.pageRank <= page.limit + 1) group.rows.push(row);
    grouped.set(key, group);
  }
  for (const [key, group] of grouped) {
    group.rows.sort((a, b) => a.pageRank - b.pageRank);
    const clean = group.rows.map(({ pageTotal: _t, pageAfter: _a, pageFirst: _f, pageRank: _r, ...rest }) => rest as unknown as TRow);
    pages.set(key, trimPage(clean, page.limit, group.total));
  }
  return pages;
}
