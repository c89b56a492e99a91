import { Module } from '@nestjs/common';
import { AllocationsModule } from '../allocations/allocations.module.js';
import { DeviceResolver } from './device.resolver.js';

@Module({
  imports: [AllocationsModule],
  providers: [DeviceResolver],
})
export class DevicesModule {}
