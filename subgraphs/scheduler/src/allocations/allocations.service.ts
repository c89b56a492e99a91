import { AppError } from '@cloudphone/errors';
import { type RequestContext, byKeys, labelMap } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { SCHEDULER_SETTINGS, type SchedulerSettings } from '../config.js';
import type { AllocationRow } from '../database/schema.js';
import { toCandidate } from '../nodes/candidate.js';
import { NodeResourcesRepository } from '../nodes/node-resources.repository.js';
import { type PlacementStrategyName, rankNodes } from '../placement/strategies.js';
import { AllocationsRepository } from './allocations.repository.js';
import type { Allocation, AllocationStatus, PlacementStrategy, ReserveAllocationInput } from './models/allocation.model.js';

export function toAllocation(row: AllocationRow): Allocation {
  return {
    id: row.id,
    deviceId: row.deviceId,
    nodeId: row.nodeId,
    userId: row.userId,
    tenantId: row.tenantId,
    strategy: row.strategy as PlacementStrategy,
    resources: { cpuCores: row.cpuCores, memoryMb: row.memoryMb, storageGb: row.storageGb },
    status: row.status as AllocationStatus,
    allocatedAt: row.allocatedAt,
    confirmedAt: row.confirmedAt,
    releasedAt: row.releasedAt,
    releaseReason: row.releaseReason,
  };
}

@Injectable()
export class AllocationsService {
  constructor(
    private readonly allocations: AllocationsRepository,
    private readonly nodes: NodeResourcesRepository,
    @Inject(SCHEDULER_SETTINGS) private readonly settings: SchedulerSettings,
  ) {}

  latestForDevice(context: RequestContext, deviceId: string): Promise<Allocation | null> {
    return context.loaders
      .get<string, Allocation | null>('Device.allocation', async (ids) => byKeys(ids, (await this.allocations.latestFor(ids)).map(toAllocation), (allocation) => allocation.deviceId))
      .load(deviceId);
  }

  byId(context: RequestContext, id: string): Promise<Allocation | null> {
    return context.loaders
      .get<string, Allocation | null>('Allocation.byId', async (ids) => byKeys(ids, (await this.allocations.findByIds(ids)).map(toAllocation), (allocation) => allocation.id))
      .load(id);
  }

  /**
   * Places a device: the ONLINE nodes with its labels and room for it, ranked
   * by the strategy, and capacity taken on the best node still fitting when
   * the reservation runs. Idempotent per device: asking again returns the
   * live allocation. No node fits -> INSUFFICIENT_CAPACITY, nothing taken.
   */
  async reserve(input: ReserveAllocationInput): Promise<Allocation> {
    const deviceId = input.deviceId.toLowerCase();
    const existing = await this.allocations.activeFor(deviceId);
    if (existing) return toAllocation(existing);
    const strategy: PlacementStrategyName = input.strategy ?? this.settings.defaultStrategy;
    const spec = { cpuCores: input.cpuCores, memoryMb: input.memoryMb, storageGb: input.storageGb };
    const candidates = await this.nodes.candidates({ spec, labels: labelMap(input.labels ?? [], 'placement.labels'), region: input.region ?? undefined, zone: input.zone ?? undefined });
    const context = {
      userAllocationsByNode: strategy === 'SPREAD' ? await this.allocations.userAllocationsByNode(input.userId.toLowerCase()) : new Map<string, number>(),
      roundRobinPosition: strategy === 'ROUND_ROBIN' && candidates.length > 0 ? await this.allocations.nextRoundRobinPosition() : 0,
    };
    const claim = { deviceId, userId: input.userId.toLowerCase(), tenantId: input.tenantId.toLowerCase(), strategy, spec };
    for (const node of rankNodes(strategy, candidates.map(toCandidate), spec, context)) {
      const allocation = await this.allocations.reserve(node.nodeId, claim);
      if (allocation) return toAllocation(allocation);
    }
    throw new AppError(
      'INSUFFICIENT_CAPACITY',
      `No node has room for a device with ${spec.cpuCores} CPU cores, ${spec.memoryMb} MiB memory and ${spec.storageGb} GiB storage${input.labels?.length || input.region || input.zone ? ' matching the placement constraints' : ''}`,
      { retryable: true, details: { strategy, candidates: candidates.length } },
    );
  }

  /** Gives a device's capacity back (its creation failed after placement); null when it held none. */
  async release(deviceId: string, reason: string): Promise<Allocation | null> {
    const released = await this.allocations.releaseNow(deviceId.toLowerCase(), { status: 'RELEASED', reason });
    return released ? toAllocation(released) : null;
  }
}
