import type { SubgraphDefinition } from '@cloudphone/subgraph-kit';
import { migrationsFolder } from './database/migrations.js';
import { type SchedulerSeed, schedulerHasData, schedulerSeedPlan, seedScheduler } from './database/seed.js';
import { CONSUMES, PUBLISHES } from './events.js';
import { SERVICE_NAME, SchedulerSubgraphModule } from './scheduler-subgraph.module.js';

export type { SchedulerSeed } from './database/seed.js';
export type { NewAllocationRow, NewNodeResourceRow } from './database/schema.js';
export { loadSchedulerConfig } from './config.js';

export const schedulerSubgraph: SubgraphDefinition<SchedulerSeed> = {
  name: SERVICE_NAME,
  migrationsFolder,
  peers: ['devices'],
  events: { publishes: PUBLISHES, consumes: CONSUMES },
  rootModule: (runtime) => SchedulerSubgraphModule.register(runtime),
  seed: seedScheduler,
  seedPlan: schedulerSeedPlan,
  hasData: schedulerHasData,
};
