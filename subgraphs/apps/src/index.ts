import type { SubgraphDefinition } from '@cloudphone/subgraph-kit';
import { AppsSubgraphModule, SERVICE_NAME } from './apps-subgraph.module.js';
import { migrationsFolder } from './database/migrations.js';
import { CONSUMES, PUBLISHES } from './events.js';
import { type AppsSeed, appsHaveData, appsSeedPlan, seedApps } from './database/seed.js';

export type { AppsSeed } from './database/seed.js';
export type { NewApplicationRow, NewDeviceApplicationRow } from './database/schema.js';
export { loadAppsConfig } from './config.js';

export const appsSubgraph: SubgraphDefinition<AppsSeed> = {
  name: SERVICE_NAME,
  migrationsFolder,
  peers: ['devices'],
  events: { publishes: PUBLISHES, consumes: CONSUMES },
  rootModule: (runtime) => AppsSubgraphModule.register(runtime),
  seed: seedApps,
  seedPlan: appsSeedPlan,
  hasData: appsHaveData,
};
