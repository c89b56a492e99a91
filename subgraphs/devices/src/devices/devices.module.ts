import { Module } from '@nestjs/common';
import { NodesModule } from '../nodes/nodes.module.js';
import { QuotaGuard } from '../quotas/quota-guard.js';
import { TemplatesModule } from '../templates/templates.module.js';
import { DeviceStatusLabelResolver } from './device-status-label.resolver.js';
import { DeviceStatusResolver } from './device-status.resolver.js';
import { DeviceStatusStream } from './device-status.stream.js';
import { DevicesRepository } from './devices.repository.js';
import { DevicesResolver } from './devices.resolver.js';
import { DevicesService } from './devices.service.js';
import { DeviceOwnerCopyResolver } from './owner-copy.resolver.js';

@Module({
  imports: [NodesModule, TemplatesModule],
  providers: [DevicesRepository, QuotaGuard, DevicesService, DevicesResolver, DeviceStatusStream, DeviceStatusResolver, DeviceStatusLabelResolver, DeviceOwnerCopyResolver],
  exports: [DevicesService, DevicesRepository],
})
export class DevicesModule {}
