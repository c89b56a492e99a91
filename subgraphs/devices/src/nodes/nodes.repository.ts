import { type Database, type KeysetSort, type Page, type PageRequest, type SubgraphDatabase, afterCursor, orderByKeyset, rowScopeCondition, pageOf } from '@cloudphone/db';
import { type EventOrigin, type EventPayload, Outbox } from '@cloudphone/events';
import type { RowScope } from '@cloudphone/identity';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { and, count, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { type NewNodeRow, type NodeRow, nodes } from '../database/schema.js';

export const NODE_SORT: KeysetSort = { column: nodes.createdAt, id: nodes.id, direction: 'ASC', kind: 'timestamp' };

/** What `node.updated` carries: everything placement needs to know of a host. */
export function nodeSnapshot(row: NodeRow): EventPayload<'node.updated'> {
  return {
    nodeId: row.id,
    name: row.name,
    status: row.status,
    region: row.region,
    zone: row.zone,
    labels: row.labels,
    capacity: { cpuCores: row.cpuCapacity, memoryMb: row.memoryMbCapacity, storageGb: row.storageGbCapacity, deviceSlots: row.deviceSlots },
    version: row.version,
  };
}

type Origin = Omit<EventOrigin, 'source'>;

/** Every change to a node is written with its `node.updated`, in one transaction. */
@Injectable()
export class NodesRepository {
  constructor(
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    private readonly outbox: Outbox,
  ) {}

  private async announce(tx: Database, row: NodeRow, origin: Origin): Promise<void> {
    await this.outbox.append(tx, { type: 'node.updated', data: nodeSnapshot(row), aggregateId: row.id }, origin);
  }

  async findByIds(ids: readonly string[]): Promise<NodeRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(nodes).where(inArray(nodes.id, [...ids]));
  }

  async findPage(filter: { scope: RowScope; status?: NodeRow['status'] | undefined; region?: string | undefined }, page: PageRequest): Promise<Page<NodeRow>> {
    const { db } = this.database;
    const where = and(
      // Nodes have no owner columns: only an ALL scope lists any (TENANT and SELF fail closed).
      rowScopeCondition(filter.scope, {}),
      filter.status === undefined ? undefined : eq(nodes.status, filter.status),
      filter.region === undefined ? undefined : eq(nodes.region, filter.region),
    );
    const rows = await db.select().from(nodes).where(and(where, afterCursor(NODE_SORT, page.after))).orderBy(...orderByKeyset(NODE_SORT)).limit(page.limit + 1);
    return pageOf(rows, page.limit, () => db.select({ value: count() }).from(nodes).where(where));
  }

  async insert(row: NewNodeRow, origin: Origin): Promise<NodeRow> {
    return this.database.db.transaction(async (tx) => {
      const [created] = await tx.insert(nodes).values(row).returning();
      if (!created) throw new Error('insert into nodes returned no row');
      await this.announce(tx, created, origin);
      return created;
    });
  }

  /** Nodes ONLINE or DRAINING that have not called in since `silentSince` become OFFLINE; returns their ids. */
  async markSilentOffline(silentSince: Date): Promise<string[]> {
    return this.database.background.transaction(async (tx) => {
      const rows = await tx
        .update(nodes)
        .set({ status: 'OFFLINE', version: sql`${nodes.version} + 1`, updatedAt: new Date() })
        .where(and(inArray(nodes.status, ['ONLINE', 'DRAINING']), or(isNull(nodes.lastHeartbeatAt), lt(nodes.lastHeartbeatAt, silentSince))))
        .returning();
      for (const row of rows) await this.announce(tx, row, {});
      return rows.map((row) => row.id);
    });
  }

  /**
   * A node calling in: its heartbeat time, and back ONLINE if it had gone
   * OFFLINE. Only a change of status is news for placement: a plain
   * heartbeat bumps no version and sends no event.
   */
  async recordHeartbeat(id: string, at: Date, origin: Origin): Promise<NodeRow | undefined> {
    return this.database.db.transaction(async (tx) => {
      const [before] = await tx.select({ status: nodes.status }).from(nodes).where(eq(nodes.id, id)).for('update');
      if (!before) return undefined;
      const comesBack = before.status === 'OFFLINE';
      const [row] = await tx
        .update(nodes)
        .set({ lastHeartbeatAt: at, ...(comesBack ? { status: 'ONLINE' as const, version: sql`${nodes.version} + 1` } : {}), updatedAt: at })
        .where(eq(nodes.id, id))
        .returning();
      if (row && comesBack) await this.announce(tx, row, origin);
      return row;
    });
  }

  async update(id: string, changes: Partial<Pick<NewNodeRow, 'status' | 'labels'>>, origin: Origin): Promise<NodeRow | undefined> {
    return this.database.db.transaction(async (tx) => {
      const [updated] = await tx
        .update(nodes)
        .set({ ...changes, version: sql`${nodes.version} + 1`, updatedAt: new Date() })
        .where(eq(nodes.id, id))
        .returning();
      if (updated) await this.announce(tx, updated, origin);
      return updated;
    });
  }
}
