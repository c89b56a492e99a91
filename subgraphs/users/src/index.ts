import type { SubgraphDefinition } from '@cloudphone/subgraph-kit';
import { migrationsFolder } from './database/migrations.js';
import { CONSUMES, PUBLISHES } from './events.js';
import { type UsersSeed, seedUsers, usersHaveData, usersSeedPlan } from './database/seed.js';
import { SERVICE_NAME, UsersSubgraphModule } from './users-subgraph.module.js';

export type { UsersSeed } from './database/seed.js';
export type { NewTenantRow, NewUserRow } from './database/schema.js';
export { loadUsersConfig } from './config.js';

export const usersSubgraph: SubgraphDefinition<UsersSeed> = {
  name: SERVICE_NAME,
  migrationsFolder,
  peers: [],
  events: { publishes: PUBLISHES, consumes: CONSUMES },
  rootModule: (runtime) => UsersSubgraphModule.register(runtime),
  seed: seedUsers,
  seedPlan: usersSeedPlan,
  hasData: usersHaveData,
};
