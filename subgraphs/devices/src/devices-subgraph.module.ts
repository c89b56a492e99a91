import { SubgraphCoreModule, type SubgraphRuntime, peerUrl } from '@cloudphone/subgraph-kit';
import { SystemConfigReaderModule } from '@cloudphone/system-config/nest';
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
        // Settings and dictionary labels (Device.statusLabel, the default Android version), owned by the users subgraph.
        SystemConfigReaderModule.register(options.cache, peerUrl(options.peers, 'users')),
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
