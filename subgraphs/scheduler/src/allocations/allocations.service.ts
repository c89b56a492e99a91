import { AppError } from '@cloudphone/errors';
import { type RowOwner, assertService, readableOrError } from '@cloudphone/identity';
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

/** Whose an allocation is: the device owner and tenant copied at reservation (a device never changes owner). */
export function allocationOwner(allocation: { userId: string; tenantId: string }): RowOwner {
  return { userId: allocation.userId, tenantId: allocation.tenantId };
}

@Injectable()
export class AllocationsService {
  constructor(
    private readonly allocations: AllocationsRepository,
    private readonly nodes: NodeResourcesRepository,
    @Inject(SCHEDULER_SETTINGS) private readonly settings: SchedulerSettings,
  ) {}

  /** `Device.allocation`: an allocation out of the caller's read scope rejects that device's key with FORBIDDEN. */
  latestForDevice(context: RequestContext, deviceId: string): Promise<Allocation | null> {
    return context.loaders
      .get<string, Allocation | null>('Device.allocation', async (ids) => this.readable(context, byKeys(ids, (await this.allocations.latestFor(ids)).map(toAllocation), (allocation) => allocation.deviceId)))
      .load(deviceId);
  }

  /** `allocation(id)` and `_entities`: null when missing, FORBIDDEN (for that key only) out of the caller's read scope. */
  byId(context: RequestContext, id: string): Promise<Allocation | null> {
    return context.loaders
      .get<string, Allocation | null>('Allocation.byId', async (ids) => this.readable(context, byKeys(ids, (await this.allocations.findByIds(ids)).map(toAllocation), (allocation) => allocation.id)))
      .load(id);
  }

  private readable(context: RequestContext, found: readonly (Allocation | null)[]): (Allocation | null | Error)[] {
    return found.map((allocation) => (allocation === null ? null : readableOrError(context.principal, 'allocation', allocation, allocationOwner(allocation))));
  }

  /**
   * Places a device: the ONLINE nodes with its labels and room for it, ranked
   * by the strategy, and capacity taken on the best node still fitting when
   * the reservation runs. Idempotent per device: asking again returns the
   * live allocation. No node fits -> INSUFFICIENT_CAPACITY, nothing taken.
   */
  async reserve(context: RequestContext, input: ReserveAllocationInput): Promise<Allocation> {
    assertService(context.principal);
    const deviceId = input.deviceId.toLowerCase();
    const existing = await this.allocations.activeFor(deviceId);
    if (existing) return toAllocation(existing);
    const strategy: PlacementStrategyName = input.strategy ?? this.settings.defaultStrategy;
    const spec = { cpuCores: input.cpuCores, memoryMb: input.memoryMb, storageGb: input.storageGb };
    const candidates = await this.nodes.candidates({ spec, labels: labelMap(input.labels ?? [], 'placement.labels'), region: input.region ?? undefined, zone: input.zone ?? undefined });
    const ranking = {
      userAllocationsByNode: strategy === 'SPREAD' ? await this.allocations.userAllocationsByNode(input.userId.toLowerCase()) : new Map<string, number>(),
      roundRobinPosition: strategy === 'ROUND_ROBIN' && candidates.length > 0 ? await this.allocations.nextRoundRobinPosition() : 0,
    };
    const claim = { deviceId, userId: input.userId.toLowerCase(), tenantId: input.tenantId.toLowerCase(), strategy, spec };
    for (const node of rankNodes(strategy, candidates.map(toCandidate), spec, ranking)) {
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
  async release(context: RequestContext, deviceId: string, reason: string): Promise<Allocation | null> {
    assertService(context.principal);
    const released = await this.allocations.releaseNow(deviceId.toLowerCase(), { status: 'RELEASED', reason });
    return released ? toAllocation(released) : null;
  }
}
