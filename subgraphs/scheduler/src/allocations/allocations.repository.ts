import type { Database, SubgraphDatabase } from '@cloudphone/db';
import { DATABASE, UNIQUE_VIOLATION, sqlState } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { and, asc, count, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { type AllocationRow, allocations, nodeResources, schedulerCursors } from '../database/schema.js';
import type { PlacementStrategyName, Resources } from '../placement/strategies.js';

export interface Claim {
  deviceId: string;
  userId: string;
  tenantId: string;
  strategy: PlacementStrategyName;
  spec: Resources;
}

/** Why an allocation stops holding capacity. */
export type Release = { status: 'RELEASED' | 'EXPIRED'; reason: string };

@Injectable()
export class AllocationsRepository {
  constructor(@Inject(DATABASE) private readonly database: SubgraphDatabase) {}

  async activeFor(deviceId: string): Promise<AllocationRow | undefined> {
    const [row] = await this.database.db
      .select()
      .from(allocations)
      .where(and(eq(allocations.deviceId, deviceId), eq(allocations.status, 'ALLOCATED')));
    return row;
  }

  /** Each device's most recent allocation, whatever its status, in one statement. */
  async latestFor(deviceIds: readonly string[]): Promise<AllocationRow[]> {
    if (deviceIds.length === 0) return [];
    return this.database.db
      .selectDistinctOn([allocations.deviceId])
      .from(allocations)
      .where(inArray(allocations.deviceId, [...deviceIds]))
      .orderBy(allocations.deviceId, desc(allocations.allocatedAt), desc(allocations.id));
  }

  async findByIds(ids: readonly string[]): Promise<AllocationRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(allocations).where(inArray(allocations.id, [...ids]));
  }

  /** SPREAD's input: the user's live allocations per node. */
  async userAllocationsByNode(userId: string): Promise<Map<string, number>> {
    const rows = await this.database.db
      .select({ nodeId: allocations.nodeId, value: count() })
      .from(allocations)
      .where(and(eq(allocations.userId, userId), eq(allocations.status, 'ALLOCATED')))
      .groupBy(allocations.nodeId);
    return new Map(rows.map((row) => [row.nodeId, row.value]));
  }

  /** ROUND_ROBIN's counter, moved by one; shared by every replica through the database. */
  async nextRoundRobinPosition(): Promise<number> {
    const [row] = await this.database.db
      .insert(schedulerCursors)
      .values({ name: 'round-robin', position: 0 })
      .onConflictDoUpdate({ target: schedulerCursors.name, set: { position: sql`${schedulerCursors.position} + 1` } })
      .returning({ position: schedulerCursors.position });
    return row?.position ?? 0;
  }

  /**
   * Takes room on one node for one device, atomically: the capacity update
   * only matches while the node is ONLINE and the device still fits (the row
   * lock makes a concurrent placement re-check after the first commits), and
   * the allocation is written in the same transaction. Undefined: the room
   * was gone. A second claim for the same device returns the first.
   */
  async reserve(nodeId: string, claim: Claim): Promise<AllocationRow | undefined> {
    const { spec } = claim;
    try {
      return await this.database.db.transaction(async (tx) => {
        const taken = await tx
          .update(nodeResources)
          .set({
            cpuAllocated: sql`${nodeResources.cpuAllocated} + ${spec.cpuCores}`,
            memoryMbAllocated: sql`${nodeResources.memoryMbAllocated} + ${spec.memoryMb}`,
            storageGbAllocated: sql`${nodeResources.storageGbAllocated} + ${spec.storageGb}`,
            devicesAllocated: sql`${nodeResources.devicesAllocated} + 1`,
            updatedAt: new Date(),
          })
          .where(
            and(
              eq(nodeResources.nodeId, nodeId),
              eq(nodeResources.status, 'ONLINE'),
              sql`${nodeResources.cpuAllocated} + ${spec.cpuCores} <= ${nodeResources.cpuCapacity}`,
              sql`${nodeResources.memoryMbAllocated} + ${spec.memoryMb} <= ${nodeResources.memoryMbCapacity}`,
              sql`${nodeResources.storageGbAllocated} + ${spec.storageGb} <= ${nodeResources.storageGbCapacity}`,
              sql`${nodeResources.devicesAllocated} + 1 <= ${nodeResources.deviceSlots}`,
            ),
          )
          .returning({ nodeId: nodeResources.nodeId });
        if (taken.length === 0) return undefined;
        const [created] = await tx
          .insert(allocations)
          .values({
            deviceId: claim.deviceId,
            nodeId,
            userId: claim.userId,
            tenantId: claim.tenantId,
            strategy: claim.strategy,
            cpuCores: spec.cpuCores,
            memoryMb: spec.memoryMb,
            storageGb: spec.storageGb,
          })
          .returning();
        return created;
      });
    } catch (error) {
      // The same device claimed concurrently: this transaction (and its capacity) rolled back; the other claim stands.
      if (sqlState(error) === UNIQUE_VIOLATION) return this.activeFor(claim.deviceId);
      throw error;
    }
  }

  /** Ends a device's live allocation and gives its capacity back, in the caller's transaction. */
  async release(tx: Database, deviceId: string, release: Release): Promise<AllocationRow | undefined> {
    const [ended] = await tx
      .update(allocations)
      .set({ status: release.status, releasedAt: new Date(), releaseReason: release.reason })
      .where(and(eq(allocations.deviceId, deviceId), eq(allocations.status, 'ALLOCATED')))
      .returning();
    if (!ended) return undefined;
    await tx
      .update(nodeResources)
      .set({
        cpuAllocated: sql`${nodeResources.cpuAllocated} - ${ended.cpuCores}`,
        memoryMbAllocated: sql`${nodeResources.memoryMbAllocated} - ${ended.memoryMb}`,
        storageGbAllocated: sql`${nodeResources.storageGbAllocated} - ${ended.storageGb}`,
        devicesAllocated: sql`${nodeResources.devicesAllocated} - 1`,
        updatedAt: new Date(),
      })
      .where(eq(nodeResources.nodeId, ended.nodeId));
    return ended;
  }

  /** Releases on its own transaction (request path: a device insert that failed after placement). */
  releaseNow(deviceId: string, release: Release): Promise<AllocationRow | undefined> {
    return this.database.db.transaction((tx) => this.release(tx, deviceId, release));
  }

  /** The device exists: its reservation no longer expires. */
  async confirm(tx: Database, deviceIds: readonly string[]): Promise<number> {
    if (deviceIds.length === 0) return 0;
    const rows = await tx
      .update(allocations)
      .set({ confirmedAt: new Date() })
      .where(and(inArray(allocations.deviceId, [...deviceIds]), eq(allocations.status, 'ALLOCATED'), isNull(allocations.confirmedAt)))
      .returning({ id: allocations.id });
    return rows.length;
  }

  /** Reservations older than `before` whose device has not been seen, oldest first. */
  async unconfirmedBefore(before: Date, limit: number): Promise<AllocationRow[]> {
    return this.database.background
      .select()
      .from(allocations)
      .where(and(eq(allocations.status, 'ALLOCATED'), isNull(allocations.confirmedAt), lt(allocations.allocatedAt, before)))
      .orderBy(asc(allocations.allocatedAt))
      .limit(limit);
  }

  /** Background work (the reservation sweep) in one uncounted transaction. */
  inBackground<T>(work: (tx: Database) => Promise<T>): Promise<T> {
    return this.database.background.transaction(work);
  }
}
