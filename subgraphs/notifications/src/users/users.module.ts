import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { UserResolver } from './user.resolver.js';

@Module({
  imports: [NotificationsModule],
  providers: [UserResolver],
})
export class UsersModule {}
