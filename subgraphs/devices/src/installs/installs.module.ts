import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { ProvisioningModule } from '../provisioning/provisioning.module.js';
import { InstallRequestsService } from './install-requests.service.js';

@Module({
  imports: [DevicesModule, ProvisioningModule],
  providers: [InstallRequestsService],
  exports: [InstallRequestsService],
})
export class InstallsModule {}
