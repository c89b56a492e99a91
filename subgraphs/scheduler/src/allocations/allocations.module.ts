import { Module } from '@nestjs/common';
import { NodesModule } from '../nodes/nodes.module.js';
import { AllocationsRepository } from './allocations.repository.js';
import { AllocationsResolver } from './allocations.resolver.js';
import { AllocationsService } from './allocations.service.js';

@Module({
  imports: [NodesModule],
  providers: [AllocationsRepository, AllocationsService, AllocationsResolver],
  exports: [AllocationsRepository, AllocationsService],
})
export class AllocationsModule {}
