import { type KeysetSort, type Page, type PageRequest, type SubgraphDatabase, afterCursor, orderByKeyset, pageOf } from '@cloudphone/db';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { count, inArray } from 'drizzle-orm';
import { type DeviceTemplateRow, type NewDeviceTemplateRow, deviceTemplates } from '../database/schema.js';

export const TEMPLATE_SORT: KeysetSort = { column: deviceTemplates.createdAt, id: deviceTemplates.id, direction: 'ASC', kind: 'timestamp' };

@Injectable()
export class TemplatesRepository {
  constructor(@Inject(DATABASE) private readonly database: SubgraphDatabase) {}

  async findByIds(ids: readonly string[]): Promise<DeviceTemplateRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(deviceTemplates).where(inArray(deviceTemplates.id, [...ids]));
  }

  async findPage(page: PageRequest): Promise<Page<DeviceTemplateRow>> {
    const { db } = this.database;
    const rows = await db.select().from(deviceTemplates).where(afterCursor(TEMPLATE_SORT, page.after)).orderBy(...orderByKeyset(TEMPLATE_SORT)).limit(page.limit + 1);
    return pageOf(rows, page.limit, () => db.select({ value: count() }).from(deviceTemplates));
  }

  async insert(row: NewDeviceTemplateRow): Promise<DeviceTemplateRow> {
    const [created] = await this.database.db.insert(deviceTemplates).values(row).returning();
    if (!created) throw new Error('insert into device_templates returned no row');
    return created;
  }
}
