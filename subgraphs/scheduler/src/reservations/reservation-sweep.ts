import type { AllocationsRepository } from '../allocations/allocations.repository.js';

/** Whether each device exists (not deleted) in the devices subgraph; throws when it cannot tell. */
export type DeviceExistence = (deviceIds: readonly string[]) => Promise<ReadonlySet<string>>;

export interface SweepReport {
  confirmed: number;
  expired: string[];
}

/**
 * Ends reservations whose device never appeared (the devices subgraph died
 * between placement and insert, or its insert failed and the release call
 * was lost). The devices subgraph is asked first, so a device whose
 * `device.created` is merely late keeps its capacity; when it cannot answer,
 * nothing expires this round.
 */
export async function sweepReservations(allocations: AllocationsRepository, devicesThatExist: DeviceExistence, options: { ttlMs: number; batch?: number; now?: Date }): Promise<SweepReport> {
  const now = options.now ?? new Date();
  const stale = await allocations.unconfirmedBefore(new Date(now.getTime() - options.ttlMs), options.batch ?? 100);
  if (stale.length === 0) return { confirmed: 0, expired: [] };
  const existing = await devicesThatExist(stale.map((allocation) => allocation.deviceId));
  return allocations.inBackground(async (tx) => {
    const confirmed = await allocations.confirm(tx, stale.filter((allocation) => existing.has(allocation.deviceId)).map((allocation) => allocation.deviceId));
    const expired: string[] = [];
    for (const allocation of stale) {
      if (existing.has(allocation.deviceId)) continue;
      const ended = await allocations.release(tx, allocation.deviceId, { status: 'EXPIRED', reason: 'no device appeared for the reservation' });
      if (ended) expired.push(ended.deviceId);
    }
    return { confirmed, expired };
  });
}
