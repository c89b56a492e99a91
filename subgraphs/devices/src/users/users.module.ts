import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { UserResolver } from './user.resolver.js';

@Module({
  imports: [DevicesModule],
  providers: [UserResolver],
})
export class UsersModule {}
