import { Inject, Injectable, Logger } from '@nestjs/common';
import type { NotificationRow } from '../database/schema.js';
import { NOTIFICATION_PROVIDER, type NotificationProvider, type OutgoingMessage } from '../delivery/notification-provider.js';
import { NotificationsRepository } from './notifications.repository.js';

function messageOf(row: NotificationRow & { channel: 'EMAIL' | 'SMS' }): OutgoingMessage {
  return {
    notificationId: row.id,
    userId: row.userId,
    channel: row.channel,
    type: row.type,
    severity: row.severity,
    title: row.title,
    body: row.body,
    sourceEventId: row.sourceEventId,
    createdAt: row.createdAt.toISOString(),
  };
}

function isSent(row: NotificationRow): row is NotificationRow & { channel: 'EMAIL' | 'SMS' } {
  return row.channel === 'EMAIL' || row.channel === 'SMS';
}

/** Sends the EMAIL and SMS notifications of an event that are still owed, after their rows are committed. */
@Injectable()
export class NotificationSender {
  private readonly logger = new Logger('notifications-sender');

  constructor(
    private readonly repository: NotificationsRepository,
    @Inject(NOTIFICATION_PROVIDER) private readonly provider: NotificationProvider,
  ) {}

  /**
   * Sends every owed message of the event, then records each accepted one.
   * One failing channel does not hold back the others; if any failed, this
   * throws once all were tried, so the transport delivers the event again and
   * only what is still owed is sent then.
   */
  async sendOwed(sourceEventId: string): Promise<number> {
    const owed = (await this.repository.findUnsent(sourceEventId)).filter(isSent);
    const failures: string[] = [];
    let sent = 0;
    for (const row of owed) {
      try {
        await this.provider.send(messageOf(row));
      } catch (error) {
        failures.push(`${row.channel} ${row.id}: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      await this.repository.markDelivered(row.id);
      sent += 1;
    }
    if (failures.length > 0) {
      this.logger.warn(`sending notifications of event ${sourceEventId} failed, will retry: ${failures.join('; ')}`);
      throw new Error(`${failures.length} of ${owed.length} notification(s) of event ${sourceEventId} not sent: ${failures.join('; ')}`);
    }
    return sent;
  }
}
