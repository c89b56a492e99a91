import { SubgraphCoreModule, type SubgraphRuntime } from '@cloudphone/subgraph-kit';
import { type DynamicModule, Module } from '@nestjs/common';
import { ApplicationsModule } from './applications/applications.module.js';
import { DevicesClientModule } from './devices/devices-client.module.js';
import { DevicesModule } from './devices/devices.module.js';
import { InstallsModule } from './installs/installs.module.js';

export const SERVICE_NAME = 'apps';

@Module({})
export class AppsSubgraphModule {
  static register(options: SubgraphRuntime): DynamicModule {
    return {
      module: AppsSubgraphModule,
      imports: [
        SubgraphCoreModule.forSubgraph(SERVICE_NAME, options),
        DevicesClientModule.forPeers(options.peers),
        ApplicationsModule,
        InstallsModule,
        DevicesModule,
      ],
    };
  }
}
