import { Module } from '@nestjs/common';
import { AuditRepository } from '../auth/audit.repository.js';
import { UsersModule } from '../users/users.module.js';
import { QuotasRepository } from './quotas.repository.js';
import { QuotasResolver } from './quotas.resolver.js';
import { QuotasService } from './quotas.service.js';

@Module({
  imports: [UsersModule],
  providers: [QuotasRepository, QuotasService, QuotasResolver, AuditRepository],
})
export class QuotasModule {}
