import { SubgraphCoreModule, type SubgraphRuntime } from '@cloudphone/subgraph-kit';
import { type DynamicModule, Module } from '@nestjs/common';
import { ApiKeysModule } from './api-keys/api-keys.module.js';
import { AccessModule } from './auth/access.module.js';
import { AuthModule } from './auth/auth.module.js';
import { QuotasModule } from './quotas/quotas.module.js';
import { RolesModule } from './roles/roles.module.js';
import { SystemConfigModule } from './system-config/system-config.module.js';
import { TenantsModule } from './tenants/tenants.module.js';
import { UsersModule } from './users/users.module.js';

export const SERVICE_NAME = 'users';

/** What a caller without credentials may do here: obtain them, or end its session. */
export const PUBLIC_ROOT_FIELDS = ['register', 'login', 'refreshSession', 'logout', 'logoutEverywhere'] as const;

@Module({})
export class UsersSubgraphModule {
  static register(options: SubgraphRuntime): DynamicModule {
    return {
      module: UsersSubgraphModule,
      imports: [
        SubgraphCoreModule.forSubgraph(SERVICE_NAME, options, { publicRootFields: PUBLIC_ROOT_FIELDS }),
        AccessModule.forChannel(options.revocations),
        TenantsModule,
        UsersModule,
        RolesModule,
        QuotasModule,
        AuthModule,
        ApiKeysModule,
        SystemConfigModule.register(options.cache),
      ],
    };
  }
}
