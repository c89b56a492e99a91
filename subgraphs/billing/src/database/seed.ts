import { type SeedPlan, type SubgraphDatabase, seedWithInserts } from '@cloudphone/db';
import { type NewBillingRuleRow, type NewOrderRow, type NewPlanRow, billingRules, orders, plans } from './schema.js';

export interface BillingSeed {
  plans: NewPlanRow[];
  orders: NewOrderRow[];
  /** Hourly prices of running time (none: devices run free until a rule is set). */
  billingRules?: NewBillingRuleRow[];
}

export const billingSeedPlan: SeedPlan<BillingSeed> = {
  tables: [
    { key: 'plans', table: plans },
    { key: 'billingRules', table: billingRules },
    { key: 'orders', table: orders },
  ],
};

export const seedBilling = seedWithInserts(billingSeedPlan);

export async function billingHasData(database: SubgraphDatabase): Promise<boolean> {
  const rows = await database.db.select({ id: plans.id }).from(plans).limit(1);
  return rows.length > 0;
}
