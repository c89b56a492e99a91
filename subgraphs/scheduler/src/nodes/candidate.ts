import type { NodeResourceRow } from '../database/schema.js';
import type { CandidateNode } from '../placement/strategies.js';

/** A node row as placement and the load score read it: what it has and what its allocations hold. */
export function toCandidate(row: NodeResourceRow): CandidateNode {
  return {
    nodeId: row.nodeId,
    name: row.name,
    zone: row.zone,
    capacity: { cpuCores: row.cpuCapacity, memoryMb: row.memoryMbCapacity, storageGb: row.storageGbCapacity, deviceSlots: row.deviceSlots },
    allocated: { cpuCores: row.cpuAllocated, memoryMb: row.memoryMbAllocated, storageGb: row.storageGbAllocated, devices: row.devicesAllocated },
  };
}
