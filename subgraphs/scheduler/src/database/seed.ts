import { type SubgraphDatabase, insertInChunks } from '@cloudphone/db';
import { type NewAllocationRow, type NewNodeResourceRow, allocations, nodeResources } from './schema.js';

export interface SchedulerSeed {
  nodes: NewNodeResourceRow[];
  allocations: NewAllocationRow[];
}

export async function seedScheduler(database: SubgraphDatabase, data: SchedulerSeed): Promise<void> {
  await database.db.transaction(async (tx) => {
    await insertInChunks(data.nodes, (chunk) => tx.insert(nodeResources).values(chunk));
    await insertInChunks(data.allocations, (chunk) => tx.insert(allocations).values(chunk));
  });
}

export async function schedulerHasData(database: SubgraphDatabase): Promise<boolean> {
  const rows = await database.db.select({ nodeId: nodeResources.nodeId }).from(nodeResources).limit(1);
  return rows.length > 0;
}
