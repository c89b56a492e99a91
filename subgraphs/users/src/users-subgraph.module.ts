import type { SubgraphDatabase } from '@cloudphone/db';
import { SubgraphCoreModule } from '@cloudphone/subgraph-kit';
import { type DynamicModule, Module } from '@nestjs/common';
import { TenantsModule } from './tenants/tenants.module.js';
import { UsersModule } from './users/users.module.js';

export const SERVICE_NAME = 'users';

@Module({})
export class UsersSubgraphModule {
  static register(options: { database: SubgraphDatabase }): DynamicModule {
    return {
      module: UsersSubgraphModule,
      imports: [SubgraphCoreModule.forSubgraph(SERVICE_NAME, options.database), TenantsModule, UsersModule],
    };
  }
}
