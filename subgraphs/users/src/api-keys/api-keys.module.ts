import { Module } from '@nestjs/common';
import { AuditRepository } from '../auth/audit.repository.js';
import { RolesModule } from '../roles/roles.module.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { ApiKeysResolver } from './api-keys.resolver.js';
import { ApiKeysService } from './api-keys.service.js';

@Module({
  imports: [RolesModule],
  providers: [ApiKeysRepository, ApiKeysService, ApiKeysResolver, AuditRepository],
})
export class ApiKeysModule {}
