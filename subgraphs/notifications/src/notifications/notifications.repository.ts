import { type Database, type KeysetSort, type Page, type PageRequest, type SubgraphDatabase, pagesPerParent, rowScopeCondition } from '@cloudphone/db';
import type { RowScope } from '@cloudphone/identity';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { type SQL, and, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { type NewNotificationRow, type NotificationRow, notifications } from '../database/schema.js';
import { LISTED_CHANNELS, SENT_CHANNELS } from './models/notification-kinds.js';

/** `User.notifications`: newest first. */
export const USER_NOTIFICATIONS_SORT: KeysetSort = { column: notifications.createdAt, id: notifications.id, direction: 'DESC', kind: 'timestamp' };

/** One array parameter instead of one parameter per id: the statement's text does not grow with the batch. */
function anyOf(column: PgColumn, ids: readonly string[]): SQL {
  return sql`${column} = any(${sql.param([...ids])}::uuid[])`;
}

/** The notifications a row scope reaches: its user's (SELF) or its tenant's (TENANT; a null tenant never matches). */
function inScope(scope: RowScope): SQL | undefined {
  return rowScopeCondition(scope, { userId: notifications.userId, tenantId: notifications.tenantId });
}

export interface UnreadCount {
  userId: string;
  value: number;
}

@Injectable()
export class NotificationsRepository {
  constructor(@Inject(DATABASE) private readonly database: SubgraphDatabase) {}

  async findByIds(ids: readonly string[]): Promise<NotificationRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(notifications).where(anyOf(notifications.id, ids));
  }

  /** A page of listed (IN_APP, WEBSOCKET) notifications within `scope` for each of many users, in one statement. */
  pagesByUser(userIds: readonly string[], page: PageRequest, unreadOnly: boolean, scope: RowScope): Promise<Map<string, Page<NotificationRow>>> {
    return pagesPerParent<NotificationRow>(this.database.db, {
      table: notifications,
      parent: notifications.userId,
      parentKey: 'userId',
      parentIds: userIds,
      sort: USER_NOTIFICATIONS_SORT,
      page,
      where: and(inArray(notifications.channel, [...LISTED_CHANNELS]), unreadOnly ? isNull(notifications.readAt) : undefined, inScope(scope)),
    });
  }

  /** Unread listed notifications within `scope` per user in one grouped statement; users with none are absent. */
  async countUnread(userIds: readonly string[], scope: RowScope): Promise<UnreadCount[]> {
    if (userIds.length === 0) return [];
    return this.database.db
      .select({ userId: notifications.userId, value: count() })
      .from(notifications)
      .where(and(anyOf(notifications.userId, userIds), isNull(notifications.readAt), inArray(notifications.channel, [...LISTED_CHANNELS]), inScope(scope)))
      .groupBy(notifications.userId);
  }

  /** Marks one notification within `scope` read in one statement; a read one keeps its first readAt. Undefined when missing or out of scope. */
  async markRead(id: string, scope: RowScope): Promise<NotificationRow | undefined> {
    const [row] = await this.database.db
      .update(notifications)
      .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
      .where(and(eq(notifications.id, id), inScope(scope)))
      .returning();
    return row;
  }

  /** Marks every unread listed notification of a user within `scope` read; returns how many changed. */
  async markAllRead(userId: string, scope: RowScope): Promise<number> {
    const changed = await this.database.db
      .update(notifications)
      .set({ readAt: sql`now()` })
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), inArray(notifications.channel, [...LISTED_CHANNELS]), inScope(scope)))
      .returning({ id: notifications.id });
    return changed.length;
  }

  /**
   * Stores notifications inside the caller's (inbox) transaction. A row whose
   * (source event, channel) exists already is skipped, so an event never makes
   * two notifications on one channel, whatever the delivery count.
   */
  async insertMany(tx: Database, rows: readonly NewNotificationRow[]): Promise<NotificationRow[]> {
    if (rows.length === 0) return [];
    return tx
      .insert(notifications)
      .values([...rows])
      .onConflictDoNothing({ target: [notifications.sourceEventId, notifications.channel] })
      .returning();
  }

  /** EMAIL and SMS notifications of an event whose send is still owed (background work, not counted). */
  async findUnsent(sourceEventId: string): Promise<NotificationRow[]> {
    return this.database.background
      .select()
      .from(notifications)
      .where(and(eq(notifications.sourceEventId, sourceEventId), inArray(notifications.channel, [...SENT_CHANNELS]), isNull(notifications.deliveredAt)));
  }

  /** Records that the provider accepted a notification. */
  async markDelivered(id: string): Promise<void> {
    await this.database.background
      .update(notifications)
      .set({ deliveredAt: sql`now()` })
      .where(and(eq(notifications.id, id), isNull(notifications.deliveredAt)));
  }
}
