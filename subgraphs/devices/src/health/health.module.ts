import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { NodesModule } from '../nodes/nodes.module.js';
import { ProvisioningModule } from '../provisioning/provisioning.module.js';
import { HealthMonitorService } from './health-monitor.service.js';

@Module({
  imports: [DevicesModule, NodesModule, ProvisioningModule],
  providers: [HealthMonitorService],
})
export class HealthModule {}
