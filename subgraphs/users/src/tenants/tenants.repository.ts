import { type KeysetSort, type Page, type PageRequest, type SubgraphDatabase, afterCursor, orderByKeyset, rowScopeCondition, pageOf } from '@cloudphone/db';
import type { RowScope } from '@cloudphone/identity';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { and, count, eq, inArray } from 'drizzle-orm';
import { type NewTenantRow, type TenantRow, tenants } from '../database/schema.js';

export const TENANT_SORT: KeysetSort = { column: tenants.createdAt, id: tenants.id, direction: 'ASC', kind: 'timestamp' };

@Injectable()
export class TenantsRepository {
  constructor(@Inject(DATABASE) private readonly database: SubgraphDatabase) {}

  async findByIds(ids: readonly string[]): Promise<TenantRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(tenants).where(inArray(tenants.id, [...ids]));
  }

  /** A page of the tenants within `scope` (a TENANT scope reaches its own tenant only). */
  async findPage(page: PageRequest, scope: RowScope): Promise<Page<TenantRow>> {
    const { db } = this.database;
    const inScope = rowScopeCondition(scope, { tenantId: tenants.id });
    const rows = await db.select().from(tenants).where(and(inScope, afterCursor(TENANT_SORT, page.after))).orderBy(...orderByKeyset(TENANT_SORT)).limit(page.limit + 1);
    return pageOf(rows, page.limit, () => db.select({ value: count() }).from(tenants).where(inScope));
  }

  async insert(row: NewTenantRow): Promise<TenantRow> {
    const [created] = await this.database.db.insert(tenants).values(row).returning();
    if (!created) throw new Error('insert into tenants returned no row');
    return created;
  }

  async update(id: string, changes: Partial<NewTenantRow>): Promise<TenantRow | undefined> {
    const [updated] = await this.database.db
      .update(tenants)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(tenants.id, id))
      .returning();
    return updated;
  }
}
