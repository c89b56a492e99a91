import { Module } from '@nestjs/common';
import { InstallsModule } from '../installs/installs.module.js';
import { DeviceResolver } from './device.resolver.js';

@Module({
  imports: [InstallsModule],
  providers: [DeviceResolver],
})
export class DevicesModule {}
