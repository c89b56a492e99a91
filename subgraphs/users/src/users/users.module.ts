import { Module } from '@nestjs/common';
import { QUOTA_DEFAULTS, loadQuotaDefaults } from '../config.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { UsersRepository } from './users.repository.js';
import { UsersResolver } from './users.resolver.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [TenantsModule],
  providers: [{ provide: QUOTA_DEFAULTS, useFactory: () => loadQuotaDefaults() }, UsersRepository, UsersService, UsersResolver],
  exports: [UsersService, QUOTA_DEFAULTS],
})
export class UsersModule {}
