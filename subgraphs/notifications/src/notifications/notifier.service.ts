import type { Database } from '@cloudphone/db';
import type { AnyEventEnvelope } from '@cloudphone/events';
import { Injectable, Logger } from '@nestjs/common';
import type { NewNotificationRow } from '../database/schema.js';
import { PreferencesService } from '../preferences/preferences.service.js';
import type { NotificationTemplate } from '../templates/models/notification-template.model.js';
import { renderTemplate } from '../templates/render.js';
import { TemplatesService } from '../templates/templates.service.js';
import { NotificationChannel, SENT_CHANNELS } from './models/notification-kinds.js';
import { notificationIntent, planNotifications } from './plan.js';
import { NotificationsRepository } from './notifications.repository.js';

/** Text of a notification whose type has no template at all (the migration seeds IN_APP and EMAIL ones for every type). */
const LAST_RESORT = { titleTemplate: 'You have a new notification', bodyTemplate: 'Open the app for details.' };

/** The template of a channel; a channel without one (SMS, WEBSOCKET by default) reads like IN_APP. */
export function templateFor(templates: readonly NotificationTemplate[], channel: NotificationChannel): Pick<NotificationTemplate, 'titleTemplate' | 'bodyTemplate'> & { id?: string } {
  return templates.find((template) => template.channel === channel) ?? templates.find((template) => template.channel === NotificationChannel.IN_APP) ?? LAST_RESORT;
}

/** Turns an event into stored notifications, inside the consumer's inbox transaction. */
@Injectable()
export class NotifierService {
  private readonly logger = new Logger('notifications-notifier');

  constructor(
    private readonly repository: NotificationsRepository,
    private readonly preferences: PreferencesService,
    private readonly templates: TemplatesService,
  ) {}

  /**
   * Stores one row per planned channel. IN_APP and WEBSOCKET rows are
   * delivered by being stored; EMAIL and SMS rows wait (delivered_at null)
   * for NotificationSender, which runs after this transaction commits.
   */
  async notify(envelope: AnyEventEnvelope, tx: Database, now = new Date()): Promise<number> {
    const intent = notificationIntent(envelope);
    if (intent === null) return 0;
    const preference = await this.preferences.preferenceOf(tx, intent.userId, intent.type);
    const planned = planNotifications(intent, preference, now);
    if (planned.length === 0) return 0;
    const templates = await this.templates.ofType(tx, intent.type);
    // The notified user is the event's: its tenant is the envelope's (or the user/device snapshot's).
    // Without one the rows are out of every TENANT scope (fail closed).
    const tenantId = envelope.tenantId ?? ('tenantId' in envelope.data ? envelope.data.tenantId : null);
    const rows: NewNotificationRow[] = planned.map((notification) => {
      const template = templateFor(templates, notification.channel);
      const title = renderTemplate(template.titleTemplate, notification.data);
      const body = renderTemplate(template.bodyTemplate, notification.data);
      const unknown = [...new Set([...title.unknown, ...body.unknown])];
      if (unknown.length > 0) {
        this.logger.warn(`template ${template.id ?? '(built-in)'} of ${notification.type}/${notification.channel} uses unknown placeholders: ${unknown.join(', ')}`);
      }
      return {
        userId: notification.userId,
        tenantId,
        type: notification.type,
        channel: notification.channel,
        severity: notification.severity,
        title: title.text,
        body: body.text,
        data: notification.data,
        sourceEventId: envelope.id,
        deliveredAt: SENT_CHANNELS.includes(notification.channel) ? null : now,
      };
    });
    const stored = await this.repository.insertMany(tx, rows);
    return stored.length;
  }
}
