import { Module } from '@nestjs/common';
import { PreferencesModule } from '../preferences/preferences.module.js';
import { TemplatesModule } from '../templates/templates.module.js';
import { NotificationSender } from './notification-sender.service.js';
import { NotificationsConsumer } from './notifications.consumer.js';
import { NotificationsRepository } from './notifications.repository.js';
import { NotificationsResolver } from './notifications.resolver.js';
import { NotificationsService } from './notifications.service.js';
import { NotifierService } from './notifier.service.js';

@Module({
  imports: [TemplatesModule, PreferencesModule],
  providers: [NotificationsRepository, NotificationsService, NotificationsResolver, NotifierService, NotificationSender, NotificationsConsumer],
  exports: [NotificationsService],
})
export class NotificationsModule {}
