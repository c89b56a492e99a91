import { auditTimestamps, timestampColumn } from '@cloudphone/db';
import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgEnum, pgTable, primaryKey, smallint, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const notificationType = pgEnum('notification_type', [
  'WELCOME',
  'DEVICE_ERROR',
  'ORDER_PAID',
  'PAYMENT_FAILED',
  'BALANCE_LOW',
  'QUOTA_EXCEEDED',
  'INSTALL_FAILED',
]);
export const notificationChannel = pgEnum('notification_channel', ['IN_APP', 'EMAIL', 'SMS', 'WEBSOCKET']);
export const notificationSeverity = pgEnum('notification_severity', ['INFO', 'WARNING', 'CRITICAL']);

/** Template variables and notification data: flat values taken from the event. */
export type NotificationData = Record<string, string | number | boolean | null>;

export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    /**
     * The user's tenant, from the envelope of the event that caused it: what a
     * TENANT data scope filters on. Null on rows from before this column and for
     * events published without a tenant; those are reachable only by the ALL
     * scope (and their own user): fail closed.
     */
    tenantId: uuid('tenant_id'),
    type: notificationType('type').notNull(),
    channel: notificationChannel('channel').notNull(),
    severity: notificationSeverity('severity').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    data: jsonb('data').$type<NotificationData>().notNull().default({}),
    /** The event that caused it; with the channel, unique: one event never notifies twice on a channel. */
    sourceEventId: uuid('source_event_id'),
    /**
     * When the channel took the notification: set on insert for IN_APP and
     * WEBSOCKET (the row is the delivery), set once the provider accepted it for
     * EMAIL and SMS; null means a send is still owed (see NotificationsConsumer).
     */
    deliveredAt: timestampColumn('delivered_at'),
    readAt: timestampColumn('read_at'),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('notifications_source_event_channel_key').on(table.sourceEventId, table.channel),
    index('notifications_user_created_at_idx').on(table.userId, table.createdAt, table.id),
    index('notifications_tenant_created_at_idx').on(table.tenantId, table.createdAt, table.id),
    index('notifications_user_unread_idx').on(table.userId).where(sql`read_at is null`),
  ],
);

export const notificationTemplates = pgTable(
  'notification_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    type: notificationType('type').notNull(),
    channel: notificationChannel('channel').notNull(),
    /** Text with `{{name}}` placeholders, filled from the event (templates/render.ts). */
    titleTemplate: text('title_template').notNull(),
    bodyTemplate: text('body_template').notNull(),
    ...auditTimestamps(),
  },
  (table) => [
    uniqueIndex('notification_templates_type_channel_key').on(table.type, table.channel),
    index('notification_templates_created_at_idx').on(table.createdAt, table.id),
  ],
);

export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: uuid('user_id').notNull(),
    type: notificationType('type').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    channels: notificationChannel('channels').array().notNull().default(sql`'{IN_APP,EMAIL}'::notification_channel[]`),
    /** Quiet hours in minutes after midnight in `time_zone`; both set or both null. The window may wrap midnight. */
    quietHoursStart: smallint('quiet_hours_start'),
    quietHoursEnd: smallint('quiet_hours_end'),
    timeZone: text('time_zone').notNull().default('UTC'),
    ...auditTimestamps(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.type] })],
);

export type NotificationRow = typeof notifications.$inferSelect;
export type NewNotificationRow = typeof notifications.$inferInsert;
export type NotificationTemplateRow = typeof notificationTemplates.$inferSelect;
export type NewNotificationTemplateRow = typeof notificationTemplates.$inferInsert;
export type PreferenceRow = typeof notificationPreferences.$inferSelect;
export type NewPreferenceRow = typeof notificationPreferences.$inferInsert;

/** Transactional outbox and consumer inbox (see @cloudphone/events). */
export { inbox, outbox } from '@cloudphone/events/tables';
