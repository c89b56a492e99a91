import type { SubgraphDefinition } from '@cloudphone/subgraph-kit';
import { migrationsFolder } from './database/migrations.js';
import { CONSUMES, PUBLISHES } from './events.js';
import { type DevicesSeed, devicesHaveData, devicesSeedPlan, seedDevices } from './database/seed.js';
import { DevicesSubgraphModule, SERVICE_NAME } from './devices-subgraph.module.js';

export type { DevicesSeed } from './database/seed.js';
export type { NewDeviceRow, NewDeviceTemplateRow, NewNodeRow } from './database/schema.js';
export { loadDevicesConfig } from './config.js';
export { NODE_SILENCE_LIMIT_MS } from './health/health-monitor.js';

export const devicesSubgraph: SubgraphDefinition<DevicesSeed> = {
  name: SERVICE_NAME,
  migrationsFolder,
  peers: ['users', 'scheduler'],
  events: { publishes: PUBLISHES, consumes: CONSUMES },
  rootModule: (runtime) => DevicesSubgraphModule.register(runtime),
  seed: seedDevices,
  seedPlan: devicesSeedPlan,
  hasData: devicesHaveData,
};
