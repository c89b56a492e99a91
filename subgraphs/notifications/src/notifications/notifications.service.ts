import { cursorOf } from '@cloudphone/db';
import { AppError } from '@cloudphone/errors';
import { assertAccess, assertAnyAccess, forbidden, readableOrError, rowScope } from '@cloudphone/identity';
import { type ConnectionArgs, type ConnectionShape, type RequestContext, byKeys, toConnection, toPageRequest } from '@cloudphone/subgraph-kit';
import { Injectable } from '@nestjs/common';
import type { NotificationRow } from '../database/schema.js';
import type { Notification, NotificationChannel, NotificationSeverity, NotificationType } from './models/notification.model.js';
import { NotificationsRepository, USER_NOTIFICATIONS_SORT } from './notifications.repository.js';

export function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    userId: row.userId,
    type: row.type as NotificationType,
    channel: row.channel as NotificationChannel,
    severity: row.severity as NotificationSeverity,
    title: row.title,
    body: row.body,
    dataJson: JSON.stringify(row.data),
    readAt: row.readAt,
    createdAt: row.createdAt,
  };
}

@Injectable()
export class NotificationsService {
  constructor(private readonly repository: NotificationsRepository) {}

  /**
   * Batched by request. A notification out of the principal's read scope is a
   * FORBIDDEN error for its key only, so in `_entities` just that entity is null.
   */
  byId(context: RequestContext, id: string): Promise<Notification | null> {
    return context.loaders
      .get<string, Notification | null>('Notification.byId', async (ids) => {
        const rows = byKeys(ids, await this.repository.findByIds(ids), (row) => row.id);
        return rows.map((row) => (row === null ? null : readableOrError(context.principal, 'notification', toNotification(row), { userId: row.userId, tenantId: row.tenantId })));
      })
      .load(id);
  }

  /**
   * `User.notifications` for every user of a request in one statement: users
   * asking for the same page (same arguments) share a loader. Only the
   * notifications within the principal's read scope: another user's are none of a USER's.
   */
  ofUser(context: RequestContext, userId: string, args: ConnectionArgs, unreadOnly: boolean): Promise<ConnectionShape<Notification>> {
    const request = toPageRequest(args);
    const scope = rowScope(context.principal, 'notification');
    const loaderName = `User.notifications:${request.limit}:${args.after ?? ''}:${unreadOnly ? 'unread' : 'all'}`;
    return context.loaders
      .get<string, ConnectionShape<Notification>>(loaderName, async (userIds) => {
        const pages = await this.repository.pagesByUser(userIds, request, unreadOnly, scope);
        return userIds.map((id) => {
          const page = pages.get(id) ?? { rows: [], hasNextPage: false, totalCount: 0 };
          return toConnection(page, request, (row) => cursorOf(USER_NOTIFICATIONS_SORT, row.createdAt, row.id), toNotification);
        });
      })
      .load(userId);
  }

  /** `User.unreadNotificationCount` (within the read scope): one grouped statement for every user of a request. */
  unreadCount(context: RequestContext, userId: string): Promise<number> {
    const scope = rowScope(context.principal, 'notification');
    return context.loaders
      .get<string, number>('User.unreadNotificationCount', async (userIds) => {
        const counts = new Map((await this.repository.countUnread(userIds, scope)).map((row) => [row.userId, Number(row.value)]));
        return userIds.map((id) => counts.get(id) ?? 0);
      })
      .load(userId);
  }

  /**
   * Marks a notification within the write scope read (checked in the update
   * itself); marking it again changes nothing (readAt stays the first time).
   */
  async markRead(context: RequestContext, id: string): Promise<Notification> {
    const scope = assertAnyAccess(context.principal, 'notification', 'write');
    const row = await this.repository.markRead(id, scope);
    if (row) return toNotification(row);
    // Nothing changed: missing, or someone else's.
    const [current] = await this.repository.findByIds([id]);
    if (!current) throw new AppError('NOT_FOUND', 'Notification not found', { details: { id } });
    assertAccess(context.principal, 'notification', { userId: current.userId, tenantId: current.tenantId }, 'write');
    // Within scope the update above always matches: only a concurrent delete gets here.
    throw new Error(`notification ${id} within scope was not updated`);
  }

  /**
   * Marks all unread notifications of a user read, of those within the write
   * scope (an ADMIN's: those of its tenant); returns how many changed. A SELF
   * scope naming another user is FORBIDDEN rather than a silent 0.
   */
  async markAllRead(context: RequestContext, userId: string): Promise<number> {
    const scope = assertAnyAccess(context.principal, 'notification', 'write');
    if (scope.kind === 'SELF' && scope.userId !== userId) throw forbidden('notification');
    return this.repository.markAllRead(userId, scope);
  }
}
