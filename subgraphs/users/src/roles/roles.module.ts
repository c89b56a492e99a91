import { Module } from '@nestjs/common';
import { AuditRepository } from '../auth/audit.repository.js';
import { UsersModule } from '../users/users.module.js';
import { RolesRepository } from './roles.repository.js';
import { RolesResolver } from './roles.resolver.js';
import { RolesService } from './roles.service.js';

@Module({
  imports: [UsersModule],
  providers: [RolesRepository, RolesService, RolesResolver, AuditRepository],
  exports: [RolesRepository],
})
export class RolesModule {}
