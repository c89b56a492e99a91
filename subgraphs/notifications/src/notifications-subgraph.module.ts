import { SubgraphCoreModule, type SubgraphRuntime } from '@cloudphone/subgraph-kit';
import { type DynamicModule, Module } from '@nestjs/common';
import { DeliveryModule } from './delivery/delivery.module.js';
import type { NotificationProvider } from './delivery/notification-provider.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { PreferencesModule } from './preferences/preferences.module.js';
import { TemplatesModule } from './templates/templates.module.js';
import { UsersModule } from './users/users.module.js';

export const SERVICE_NAME = 'notifications';

export interface NotificationsModuleOptions extends SubgraphRuntime {
  /** Development sink of EMAIL and SMS (NOTIFICATIONS_SINK_FILE). */
  sinkFile: string;
  /** Replaces the file sink (a real gateway, or a test double). */
  provider?: NotificationProvider | undefined;
}

@Module({})
export class NotificationsSubgraphModule {
  static register(options: NotificationsModuleOptions): DynamicModule {
    return {
      module: NotificationsSubgraphModule,
      imports: [
        SubgraphCoreModule.forSubgraph(SERVICE_NAME, options),
        DeliveryModule.register({ sinkFile: options.sinkFile, provider: options.provider }),
        NotificationsModule,
        TemplatesModule,
        PreferencesModule,
        UsersModule,
      ],
    };
  }
}
