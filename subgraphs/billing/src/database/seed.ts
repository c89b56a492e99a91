import { type SubgraphDatabase, insertInChunks } from '@cloudphone/db';
import { type NewOrderRow, type NewPlanRow, orders, plans } from './schema.js';

export interface BillingSeed {
  plans: NewPlanRow[];
  orders: NewOrderRow[];
}

export async function seedBilling(database: SubgraphDatabase, data: BillingSeed): Promise<void> {
  await database.db.transaction(async (tx) => {
    await insertInChunks(data.plans, (chunk) => tx.insert(plans).values(chunk));
    await insertInChunks(data.orders, (chunk) => tx.insert(orders).values(chunk));
  });
}

export async function billingHasData(database: SubgraphDatabase): Promise<boolean> {
  const rows = await database.db.select({ id: plans.id }).from(plans).limit(1);
  return rows.length > 0;
}
