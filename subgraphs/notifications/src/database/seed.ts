import { type SeedPlan, type SubgraphDatabase, seedWithInserts } from '@cloudphone/db';
import { type NewNotificationRow, type NewPreferenceRow, notificationPreferences, notifications } from './schema.js';

export interface NotificationsSeed {
  /** Give each notification `tenantId` (its user's tenant): one without is out of every TENANT scope. */
  notifications: NewNotificationRow[];
  preferences: NewPreferenceRow[];
}

export const notificationsSeedPlan: SeedPlan<NotificationsSeed> = {
  tables: [
    { key: 'preferences', table: notificationPreferences },
    { key: 'notifications', table: notifications },
  ],
};

export const seedNotifications = seedWithInserts(notificationsSeedPlan);

/** Templates come with the migrations, so only notifications and preferences count as data. */
export async function notificationsHaveData(database: SubgraphDatabase): Promise<boolean> {
  const [notification] = await database.db.select({ id: notifications.id }).from(notifications).limit(1);
  if (notification) return true;
  const [preference] = await database.db.select({ userId: notificationPreferences.userId }).from(notificationPreferences).limit(1);
  return preference !== undefined;
}
