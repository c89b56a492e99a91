import type { Database, SubgraphDatabase } from '@cloudphone/db';
import type { EventPayload } from '@cloudphone/events';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { type NodeResourceRow, nodeResources } from '../database/schema.js';
import type { Resources } from '../placement/strategies.js';

export type NodeSnapshot = EventPayload<'node.updated'>;

export interface CandidateFilter {
  spec: Resources;
  /** Every one of these labels must be on the node. */
  labels: Record<string, string>;
  region?: string | undefined;
  zone?: string | undefined;
}

@Injectable()
export class NodeResourcesRepository {
  constructor(@Inject(DATABASE) private readonly database: SubgraphDatabase) {}

  async findByIds(nodeIds: readonly string[]): Promise<NodeResourceRow[]> {
    if (nodeIds.length === 0) return [];
    return this.database.db.select().from(nodeResources).where(inArray(nodeResources.nodeId, [...nodeIds]));
  }

  /** ONLINE nodes in the wanted place, with the wanted labels and room for the device as of now. */
  async candidates(filter: CandidateFilter): Promise<NodeResourceRow[]> {
    const { spec } = filter;
    return this.database.db
      .select()
      .from(nodeResources)
      .where(
        and(
          eq(nodeResources.status, 'ONLINE'),
          filter.region === undefined ? undefined : eq(nodeResources.region, filter.region),
          filter.zone === undefined ? undefined : eq(nodeResources.zone, filter.zone),
          Object.keys(filter.labels).length === 0 ? undefined : sql`${nodeResources.labels} @> ${JSON.stringify(filter.labels)}::jsonb`,
          sql`${nodeResources.cpuAllocated} + ${spec.cpuCores} <= ${nodeResources.cpuCapacity}`,
          sql`${nodeResources.memoryMbAllocated} + ${spec.memoryMb} <= ${nodeResources.memoryMbCapacity}`,
          sql`${nodeResources.storageGbAllocated} + ${spec.storageGb} <= ${nodeResources.storageGbCapacity}`,
          sql`${nodeResources.devicesAllocated} < ${nodeResources.deviceSlots}`,
        ),
      );
  }

  /**
   * Keeps the copy of a node from a `node.updated` event; only a newer
   * version overwrites, so late or repeated events change nothing. What the
   * allocations hold is the scheduler's own and is never overwritten.
   */
  async applySnapshot(tx: Database, node: NodeSnapshot): Promise<boolean> {
    const copy = {
      name: node.name,
      status: node.status,
      region: node.region,
      zone: node.zone,
      labels: node.labels,
      cpuCapacity: node.capacity.cpuCores,
      memoryMbCapacity: node.capacity.memoryMb,
      storageGbCapacity: node.capacity.storageGb,
      deviceSlots: node.capacity.deviceSlots,
      sourceVersion: node.version,
      updatedAt: new Date(),
    };
    const rows = await tx
      .insert(nodeResources)
      .values({ nodeId: node.nodeId, ...copy })
      .onConflictDoUpdate({ target: nodeResources.nodeId, set: copy, setWhere: sql`${nodeResources.sourceVersion} < ${node.version}` })
      .returning({ nodeId: nodeResources.nodeId });
    return rows.length > 0;
  }
}
