import { SHARED_ROW, assertAccess } from '@cloudphone/identity';
import { type RequestContext, byKeys } from '@cloudphone/subgraph-kit';
import { Injectable } from '@nestjs/common';
import type { NodeResourceRow } from '../database/schema.js';
import { loadScore } from '../placement/strategies.js';
import type { NodeResources, ResourceUsage } from './models/node.model.js';
import { toCandidate } from './candidate.js';
import { NodeResourcesRepository } from './node-resources.repository.js';

const usage = (capacity: number, allocated: number): ResourceUsage => ({ capacity, allocated, free: capacity - allocated });

export function toNodeResources(row: NodeResourceRow): NodeResources & { nodeId: string } {
  return {
    nodeId: row.nodeId,
    cpuCores: usage(row.cpuCapacity, row.cpuAllocated),
    memoryMb: usage(row.memoryMbCapacity, row.memoryMbAllocated),
    storageGb: usage(row.storageGbCapacity, row.storageGbAllocated),
    deviceSlots: usage(row.deviceSlots, row.devicesAllocated),
    loadScore: loadScore(toCandidate(row)),
    updatedAt: row.updatedAt,
  };
}

@Injectable()
export class NodeResourcesService {
  constructor(private readonly repository: NodeResourcesRepository) {}

  /**
   * A node's resources, batched per request; null until the scheduler has
   * heard of the node. Nodes are infrastructure: node:read (ADMIN,
   * SUPER_ADMIN) or FORBIDDEN, as for the node itself in devices.
   */
  async forNode(context: RequestContext, nodeId: string): Promise<NodeResources | null> {
    assertAccess(context.principal, 'node', SHARED_ROW);
    return context.loaders
      .get<string, (NodeResources & { nodeId: string }) | null>('Node.resources', async (ids) => byKeys(ids, (await this.repository.findByIds(ids)).map(toNodeResources), (resources) => resources.nodeId))
      .load(nodeId);
  }
}
