import { cursorOf } from '@cloudphone/db';
import { AppError } from '@cloudphone/errors';
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

  byId(context: RequestContext, id: string): Promise<Notification | null> {
    return context.loaders
      .get<string, Notification | null>('Notification.byId', async (ids) =>
        byKeys(ids, (await this.repository.findByIds(ids)).map(toNotification), (notification) => notification.id),
      )
      .load(id);
  }

  /**
   * `User.notifications` for every user of a request in one statement: users
   * asking for the same page (same arguments) share a loader.
   */
  ofUser(context: RequestContext, userId: string, args: ConnectionArgs, unreadOnly: boolean): Promise<ConnectionShape<Notification>> {
    const request = toPageRequest(args);
    const loaderName = `User.notifications:${request.limit}:${args.after ?? ''}:${unreadOnly ? 'unread' : 'all'}`;
    return context.loaders
      .get<string, ConnectionShape<Notification>>(loaderName, async (userIds) => {
        const pages = await this.repository.pagesByUser(userIds, request, unreadOnly);
        return userIds.map((id) => {
          const page = pages.get(id) ?? { rows: [], hasNextPage: false, totalCount: 0 };
          return toConnection(page, request, (row) => cursorOf(USER_NOTIFICATIONS_SORT, row.createdAt, row.id), toNotification);
        });
      })
      .load(userId);
  }

  /** `User.unreadNotificationCount`: one grouped statement for every user of a request. */
  unreadCount(context: RequestContext, userId: string): Promise<number> {
    return context.loaders
      .get<string, number>('User.unreadNotificationCount', async (userIds) => {
        const counts = new Map((await this.repository.countUnread(userIds)).map((row) => [row.userId, Number(row.value)]));
        return userIds.map((id) => counts.get(id) ?? 0);
      })
      .load(userId);
  }

  /** Marks a notification read; marking it again changes nothing (readAt stays the first time). */
  async markRead(id: string): Promise<Notification> {
    const row = await this.repository.markRead(id);
    if (!row) throw new AppError('NOT_FOUND', 'Notification not found', { details: { id } });
    return toNotification(row);
  }

  /** Marks all unread notifications of a user read; returns how many changed. */
  markAllRead(userId: string): Promise<number> {
    return this.repository.markAllRead(userId);
  }
}
