import { type KeysetSort, type Page, type PageRequest, type SubgraphDatabase, afterCursor, orderByKeyset, pageOf } from '@cloudphone/db';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { count, eq, inArray } from 'drizzle-orm';
import { type NewPlanRow, type PlanRow, plans } from '../database/schema.js';

export const PLAN_SORT: KeysetSort = { column: plans.createdAt, id: plans.id, direction: 'ASC', kind: 'timestamp' };

@Injectable()
export class PlansRepository {
  constructor(@Inject(DATABASE) private readonly database: SubgraphDatabase) {}

  async findByIds(ids: readonly string[]): Promise<PlanRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(plans).where(inArray(plans.id, [...ids]));
  }

  async findPage(page: PageRequest): Promise<Page<PlanRow>> {
    const { db } = this.database;
    const rows = await db.select().from(plans).where(afterCursor(PLAN_SORT, page.after)).orderBy(...orderByKeyset(PLAN_SORT)).limit(page.limit + 1);
    return pageOf(rows, page.limit, () => db.select({ value: count() }).from(plans));
  }

  async insert(row: NewPlanRow): Promise<PlanRow> {
    const [created] = await this.database.db.insert(plans).values(row).returning();
    if (!created) throw new Error('insert into plans returned no row');
    return created;
  }

  async setActive(id: string, active: boolean): Promise<PlanRow | undefined> {
    const [updated] = await this.database.db.update(plans).set({ active, updatedAt: new Date() }).where(eq(plans.id, id)).returning();
    return updated;
  }
}
