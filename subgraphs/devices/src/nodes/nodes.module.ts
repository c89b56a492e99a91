import { Module } from '@nestjs/common';
import { NodesRepository } from './nodes.repository.js';
import { NodesResolver } from './nodes.resolver.js';
import { NodesService } from './nodes.service.js';

@Module({
  providers: [NodesRepository, NodesService, NodesResolver],
  exports: [NodesService, NodesRepository],
})
export class NodesModule {}
