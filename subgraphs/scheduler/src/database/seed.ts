import { type SeedPlan, type SubgraphDatabase, seedWithInserts } from '@cloudphone/db';
import { sql } from 'drizzle-orm';
import { type NewAllocationRow, type NewNodeResourceRow, allocations, nodeResources } from './schema.js';

export interface SchedulerSeed {
  nodes: NewNodeResourceRow[];
  allocations: NewAllocationRow[];
}

export const schedulerSeedPlan: SeedPlan<SchedulerSeed> = {
  tables: [
    { key: 'nodes', table: nodeResources },
    { key: 'allocations', table: allocations },
  ],
  // A node holds exactly what its live allocations hold. A bulk load copies the nodes before the
  // allocations that fill them (they reference the nodes), so the counts are taken from the allocations.
  afterLoad: async (tx) => {
    await tx.execute(sql`
      update ${nodeResources} set
        cpu_allocated = held.cpu, memory_mb_allocated = held.memory, storage_gb_allocated = held.storage, devices_allocated = held.devices
      from (
        select ${nodeResources.nodeId} as node_id,
          coalesce(sum(${allocations.cpuCores}), 0)::int as cpu, coalesce(sum(${allocations.memoryMb}), 0)::int as memory,
          coalesce(sum(${allocations.storageGb}), 0)::int as storage, count(${allocations.id})::int as devices
        from ${nodeResources} left join ${allocations} on ${allocations.nodeId} = ${nodeResources.nodeId} and ${allocations.status} = 'ALLOCATED'
        group by ${nodeResources.nodeId}
      ) as held
      where ${nodeResources.nodeId} = held.node_id and (${nodeResources.devicesAllocated}, ${nodeResources.cpuAllocated}, ${nodeResources.memoryMbAllocated}, ${nodeResources.storageGbAllocated}) is distinct from (held.devices, held.cpu, held.memory, held.storage)`);
  },
};

export const seedScheduler = seedWithInserts(schedulerSeedPlan);

export async function schedulerHasData(database: SubgraphDatabase): Promise<boolean> {
  const rows = await database.db.select({ nodeId: nodeResources.nodeId }).from(nodeResources).limit(1);
  return rows.length > 0;
}
