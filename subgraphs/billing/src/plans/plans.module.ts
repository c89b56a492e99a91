import { Module } from '@nestjs/common';
import { PlansRepository } from './plans.repository.js';
import { PlansResolver } from './plans.resolver.js';
import { PlansService } from './plans.service.js';

@Module({
  providers: [PlansRepository, PlansService, PlansResolver],
  exports: [PlansService],
})
export class PlansModule {}
