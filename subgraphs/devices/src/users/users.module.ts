import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { OwnerCopiesConsumer } from './owner-copies.consumer.js';
import { UserResolver } from './user.resolver.js';

@Module({
  imports: [DevicesModule],
  providers: [UserResolver, OwnerCopiesConsumer],
})
export class UsersModule {}
