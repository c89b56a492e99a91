import { SubgraphCoreModule, type SubgraphRuntime } from '@cloudphone/subgraph-kit';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AllocationsModule } from './allocations/allocations.module.js';
import { SCHEDULER_SETTINGS, loadSchedulerSettings } from './config.js';
import { DevicesModule } from './devices/devices.module.js';
import { SchedulerInboxConsumer } from './inbox.consumer.js';
import { NodesModule } from './nodes/nodes.module.js';
import { PeersModule } from './peers.module.js';
import { ReservationsModule } from './reservations/reservations.module.js';

export const SERVICE_NAME = 'scheduler';

/** The placement settings, read once when the subgraph is built. */
@Global()
@Module({})
class SettingsModule {
  static register(): DynamicModule {
    return { module: SettingsModule, providers: [{ provide: SCHEDULER_SETTINGS, useValue: loadSchedulerSettings() }], exports: [SCHEDULER_SETTINGS] };
  }
}

@Module({})
export class SchedulerSubgraphModule {
  static register(options: SubgraphRuntime): DynamicModule {
    return {
      module: SchedulerSubgraphModule,
      imports: [
        SubgraphCoreModule.forSubgraph(SERVICE_NAME, options),
        SettingsModule.register(),
        PeersModule.register(options.peers),
        NodesModule,
        AllocationsModule,
        DevicesModule,
        ReservationsModule,
      ],
      providers: [SchedulerInboxConsumer],
    };
  }
}
