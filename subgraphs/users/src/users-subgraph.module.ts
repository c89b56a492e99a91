import type { EventTransport } from '@cloudphone/events';
import type { SubgraphDatabase } from '@cloudphone/db';
import { type PeerUrls, SubgraphCoreModule } from '@cloudphone/subgraph-kit';
import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module.js';
import { TenantsModule } from './tenants/tenants.module.js';
import { UsersModule } from './users/users.module.js';

export const SERVICE_NAME = 'users';

@Module({})
export class UsersSubgraphModule {
  static register(options: { database: SubgraphDatabase; peers: PeerUrls; transport: EventTransport }): DynamicModule {
    return {
      module: UsersSubgraphModule,
      imports: [SubgraphCoreModule.forSubgraph(SERVICE_NAME, options.database, options.transport), TenantsModule, UsersModule, AuthModule],
    };
  }
}
