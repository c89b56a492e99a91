import type { SharedCacheSettings } from '@cloudphone/subgraph-kit';
import { SystemConfigPublisherModule } from '@cloudphone/system-config/nest';
import { type DynamicModule, Module } from '@nestjs/common';
import { AuditRepository } from '../auth/audit.repository.js';
import { SystemConfigRepository } from './system-config.repository.js';
import { SystemConfigResolver } from './system-config.resolver.js';
import { SystemConfigService } from './system-config.service.js';

/** Settings and dictionaries: owned here, published to every service's cache (`cache`: Redis, or in process). */
@Module({})
export class SystemConfigModule {
  static register(cache: SharedCacheSettings): DynamicModule {
    return {
      module: SystemConfigModule,
      imports: [SystemConfigPublisherModule.register(cache)],
      providers: [SystemConfigRepository, SystemConfigService, SystemConfigResolver, AuditRepository],
    };
  }
}
