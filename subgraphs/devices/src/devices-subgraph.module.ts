import { SubgraphCoreModule, type SubgraphRuntime } from '@cloudphone/subgraph-kit';
import { type DynamicModule, Module } from '@nestjs/common';
import { DevicesModule } from './devices/devices.module.js';
import { DevicesInboxConsumer } from './inbox.consumer.js';
import { InstallsModule } from './installs/installs.module.js';
import { HealthModule } from './health/health.module.js';
import { ProvisioningModule } from './provisioning/provisioning.module.js';
import { NodesModule } from './nodes/nodes.module.js';
import { PeersModule } from './peers.module.js';
import { TemplatesModule } from './templates/templates.module.js';
import { UsersModule } from './users/users.module.js';

export const SERVICE_NAME = 'devices';

@Module({})
export class DevicesSubgraphModule {
  static register(options: SubgraphRuntime): DynamicModule {
    return {
      module: DevicesSubgraphModule,
      imports: [
        SubgraphCoreModule.forSubgraph(SERVICE_NAME, options, { subscriptions: true }),
        PeersModule.register(options.peers),
        DevicesModule,
        NodesModule,
        TemplatesModule,
        UsersModule,
        InstallsModule,
        ProvisioningModule,
        HealthModule,
      ],
      providers: [DevicesInboxConsumer],
    };
  }
}
