import type { SubgraphDefinition } from '@cloudphone/subgraph-kit';
import { loadNotificationsDeliveryConfig } from './config.js';
import { migrationsFolder } from './database/migrations.js';
import { type NotificationsSeed, notificationsHaveData, notificationsSeedPlan, seedNotifications } from './database/seed.js';
import { CONSUMES, PUBLISHES } from './events.js';
import { NotificationsSubgraphModule, SERVICE_NAME } from './notifications-subgraph.module.js';

export type { NotificationsSeed } from './database/seed.js';
export type {
  NewNotificationRow,
  NewNotificationTemplateRow,
  NewPreferenceRow,
  NotificationRow,
  NotificationTemplateRow,
  PreferenceRow,
} from './database/schema.js';
export type { NotificationProvider, OutgoingMessage } from './delivery/notification-provider.js';
export { loadNotificationsConfig, type NotificationsConfig } from './config.js';
export { NotificationsSubgraphModule } from './notifications-subgraph.module.js';

export const notificationsSubgraph: SubgraphDefinition<NotificationsSeed> = {
  name: SERVICE_NAME,
  migrationsFolder,
  peers: [],
  events: { publishes: PUBLISHES, consumes: CONSUMES },
  rootModule: (runtime) => NotificationsSubgraphModule.register({ ...runtime, sinkFile: loadNotificationsDeliveryConfig().sinkFile }),
  seed: seedNotifications,
  seedPlan: notificationsSeedPlan,
  hasData: notificationsHaveData,
};
