import type { SubgraphDefinition } from '@cloudphone/subgraph-kit';
import { BillingSubgraphModule, SERVICE_NAME } from './billing-subgraph.module.js';
import { migrationsFolder } from './database/migrations.js';
import { CONSUMES, PUBLISHES } from './events.js';
import { type BillingSeed, billingHasData, billingSeedPlan, seedBilling } from './database/seed.js';
import { BILLING_PEERS } from './peers/peer-tokens.js';

export type { BillingSeed } from './database/seed.js';
export type { NewBillingRuleRow, NewOrderRow, NewPlanRow } from './database/schema.js';
export { loadBillingConfig } from './config.js';

export const billingSubgraph: SubgraphDefinition<BillingSeed> = {
  name: SERVICE_NAME,
  migrationsFolder,
  peers: BILLING_PEERS,
  events: { publishes: PUBLISHES, consumes: CONSUMES },
  rootModule: (runtime) => BillingSubgraphModule.register(runtime),
  seed: seedBilling,
  seedPlan: billingSeedPlan,
  hasData: billingHasData,
};
