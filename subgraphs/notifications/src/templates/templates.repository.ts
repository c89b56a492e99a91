import { type Database, type KeysetSort, type Page, type PageRequest, type SubgraphDatabase, afterCursor, orderByKeyset, pageOf } from '@cloudphone/db';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { count, eq, inArray, sql } from 'drizzle-orm';
import { type NewNotificationTemplateRow, type NotificationTemplateRow, notificationTemplates } from '../database/schema.js';

export const TEMPLATE_SORT: KeysetSort = { column: notificationTemplates.createdAt, id: notificationTemplates.id, direction: 'ASC', kind: 'timestamp' };

@Injectable()
export class TemplatesRepository {
  constructor(@Inject(DATABASE) private readonly database: SubgraphDatabase) {}

  async findByIds(ids: readonly string[]): Promise<NotificationTemplateRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(notificationTemplates).where(inArray(notificationTemplates.id, [...ids]));
  }

  async findPage(page: PageRequest): Promise<Page<NotificationTemplateRow>> {
    const { db } = this.database;
    const rows = await db.select().from(notificationTemplates).where(afterCursor(TEMPLATE_SORT, page.after)).orderBy(...orderByKeyset(TEMPLATE_SORT)).limit(page.limit + 1);
    return pageOf(rows, page.limit, () => db.select({ value: count() }).from(notificationTemplates));
  }

  /** Every channel's template of a type, read in the caller's transaction. */
  async findOfType(tx: Database, type: NotificationTemplateRow['type']): Promise<NotificationTemplateRow[]> {
    return tx.select().from(notificationTemplates).where(eq(notificationTemplates.type, type));
  }

  /** Creates or replaces the template of a type and channel in one statement. */
  async upsert(row: Pick<NewNotificationTemplateRow, 'type' | 'channel' | 'titleTemplate' | 'bodyTemplate'>): Promise<NotificationTemplateRow> {
    const [saved] = await this.database.db
      .insert(notificationTemplates)
      .values(row)
      .onConflictDoUpdate({
        target: [notificationTemplates.type, notificationTemplates.channel],
        set: { titleTemplate: row.titleTemplate, bodyTemplate: row.bodyTemplate, updatedAt: sql`now()` },
      })
      .returning();
    if (!saved) throw new Error('upsert into notification_templates returned no row');
    return saved;
  }
}
