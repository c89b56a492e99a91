import type { SubgraphClient } from '@cloudphone/subgraph-kit';
import type { PlacementInput } from '../devices/models/placement.input.js';

export interface PlacementClaim {
  deviceId: string;
  userId: string;
  tenantId: string;
  spec: { cpuCores: number; memoryMb: number; storageGb: number };
  placement: PlacementInput | null | undefined;
}

export interface Placement {
  id: string;
  nodeId: string;
}

const RESERVE = `mutation Reserve($input: ReserveAllocationInput!) { reserveAllocation(input: $input) { id node { id } } }`;
const RELEASE = `mutation Release($deviceId: ID!) { releaseAllocation(deviceId: $deviceId) { id } }`;

/**
 * The scheduler as createDevice sees it: capacity taken before the device
 * exists, given back if the device could not be written. Reservations are
 * keyed by device id, so a retried call never takes a second slot.
 */
export class PlacementClient {
  constructor(private readonly scheduler: SubgraphClient) {}

  async reserve(claim: PlacementClaim, requestId: string): Promise<Placement> {
    const input = {
      deviceId: claim.deviceId,
      userId: claim.userId,
      tenantId: claim.tenantId,
      ...claim.spec,
      strategy: claim.placement?.strategy ?? null,
      labels: claim.placement?.labels?.map(({ key, value }) => ({ key, value })) ?? null,
      region: claim.placement?.region ?? null,
      zone: claim.placement?.zone ?? null,
    };
    const data = await this.scheduler.execute<{ reserveAllocation: { id: string; node: { id: string } } }>(RESERVE, { input }, requestId, { idempotent: true });
    return { id: data.reserveAllocation.id, nodeId: data.reserveAllocation.node.id };
  }

  async release(deviceId: string, requestId: string): Promise<void> {
    await this.scheduler.execute(RELEASE, { deviceId }, requestId, { idempotent: true });
  }
}
