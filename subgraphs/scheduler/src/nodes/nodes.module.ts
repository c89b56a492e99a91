import { Module } from '@nestjs/common';
import { NodeResourcesRepository } from './node-resources.repository.js';
import { NodeResourcesService } from './node-resources.service.js';
import { NodeResolver } from './node.resolver.js';

@Module({
  providers: [NodeResourcesRepository, NodeResourcesService, NodeResolver],
  exports: [NodeResourcesRepository],
})
export class NodesModule {}
