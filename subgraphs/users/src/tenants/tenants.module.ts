import { Module } from '@nestjs/common';
import { TenantsRepository } from './tenants.repository.js';
import { TenantsResolver } from './tenants.resolver.js';
import { TenantsService } from './tenants.service.js';

@Module({
  providers: [TenantsRepository, TenantsService, TenantsResolver],
  exports: [TenantsService, TenantsRepository],
})
export class TenantsModule {}
