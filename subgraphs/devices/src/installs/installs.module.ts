import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { DEVICE_AGENT, SimulatedDeviceAgent } from './device-agent.js';
import { InstallRequestsService } from './install-requests.service.js';

@Module({
  imports: [DevicesModule],
  providers: [InstallRequestsService, { provide: DEVICE_AGENT, useClass: SimulatedDeviceAgent }],
  exports: [InstallRequestsService],
})
export class InstallsModule {}
