import { Module } from '@nestjs/common';
import { NodesModule } from '../nodes/nodes.module.js';
import { TemplatesModule } from '../templates/templates.module.js';
import { DevicesRepository } from './devices.repository.js';
import { DevicesResolver } from './devices.resolver.js';
import { DevicesService } from './devices.service.js';

@Module({
  imports: [NodesModule, TemplatesModule],
  providers: [DevicesRepository, DevicesService, DevicesResolver],
  exports: [DevicesService, DevicesRepository],
})
export class DevicesModule {}
