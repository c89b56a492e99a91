import { type KeysetSort, type Page, type PageRequest, type SubgraphDatabase, afterCursor, orderByKeyset, pageOf } from '@cloudphone/db';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { type SQL, and, count, eq, inArray } from 'drizzle-orm';
import { type ApplicationRow, type NewApplicationRow, applications } from '../database/schema.js';

export const APPLICATION_SORT: KeysetSort = { column: applications.createdAt, id: applications.id, direction: 'ASC', kind: 'timestamp' };

type ApplicationStatusValue = ApplicationRow['status'];

export interface ApplicationQuery {
  status?: ApplicationStatusValue | undefined;
  category?: string | undefined;
}

@Injectable()
export class ApplicationsRepository {
  constructor(@Inject(DATABASE) private readonly database: SubgraphDatabase) {}

  async findByIds(ids: readonly string[]): Promise<ApplicationRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(applications).where(inArray(applications.id, [...ids]));
  }

  async findPage(query: ApplicationQuery, page: PageRequest): Promise<Page<ApplicationRow>> {
    const { db } = this.database;
    const filter: (SQL | undefined)[] = [
      query.status === undefined ? undefined : eq(applications.status, query.status),
      query.category === undefined ? undefined : eq(applications.category, query.category),
    ];
    const rows = await db
        .select()
        .from(applications)
        .where(and(...filter, afterCursor(APPLICATION_SORT, page.after)))
        .orderBy(...orderByKeyset(APPLICATION_SORT))
        .limit(page.limit + 1);
    return pageOf(rows, page.limit, () => db.select({ value: count() }).from(applications).where(and(...filter)));
  }

  async insert(row: NewApplicationRow): Promise<ApplicationRow> {
    const [created] = await this.database.db.insert(applications).values(row).returning();
    if (!created) throw new Error('insert into applications returned no row');
    return created;
  }

  /** Changes the status only while it is one of `from` (compare-and-set); undefined when it was not. */
  async updateStatus(
    id: string,
    from: readonly ApplicationStatusValue[],
    changes: Pick<NewApplicationRow, 'status'> & Partial<Pick<NewApplicationRow, 'reviewReason' | 'reviewedBy'>>,
  ): Promise<ApplicationRow | undefined> {
    const [updated] = await this.database.db
      .update(applications)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(applications.id, id), inArray(applications.status, [...from])))
      .returning();
    return updated;
  }
}
