import { type SubgraphDatabase, insertInChunks } from '@cloudphone/db';
import { type NewBillingRuleRow, type NewOrderRow, type NewPlanRow, billingRules, orders, plans } from './schema.js';

export interface BillingSeed {
  plans: NewPlanRow[];
  orders: NewOrderRow[];
  /** Hourly prices of running time (none: devices run free until a rule is set). */
  billingRules?: NewBillingRuleRow[];
}

export async function seedBilling(database: SubgraphDatabase, data: BillingSeed): Promise<void> {
  await database.db.transaction(async (tx) => {
    await insertInChunks(data.plans, (chunk) => tx.insert(plans).values(chunk));
    await insertInChunks(data.orders, (chunk) => tx.insert(orders).values(chunk));
    await insertInChunks(data.billingRules ?? [], (chunk) => tx.insert(billingRules).values(chunk));
  });
}

export async function billingHasData(database: SubgraphDatabase): Promise<boolean> {
  const rows = await database.db.select({ id: plans.id }).from(plans).limit(1);
  return rows.length > 0;
}
