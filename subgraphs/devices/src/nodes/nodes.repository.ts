import { type KeysetSort, type Page, type PageRequest, type SubgraphDatabase, afterCursor, orderByKeyset, trimPage } from '@cloudphone/db';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { and, count, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { type NewNodeRow, type NodeRow, nodes } from '../database/schema.js';

export const NODE_SORT: KeysetSort = { column: nodes.createdAt, id: nodes.id, direction: 'ASC', kind: 'timestamp' };

@Injectable()
export class NodesRepository {
  constructor(@Inject(DATABASE) private readonly database: SubgraphDatabase) {}

  async findByIds(ids: readonly string[]): Promise<NodeRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(nodes).where(inArray(nodes.id, [...ids]));
  }

  async findPage(filter: { status?: NodeRow['status'] | undefined; region?: string | undefined }, page: PageRequest): Promise<Page<NodeRow>> {
    const { db } = this.database;
    const where = and(
      filter.status === undefined ? undefined : eq(nodes.status, filter.status),
      filter.region === undefined ? undefined : eq(nodes.region, filter.region),
    );
    const [rows, [total]] = await Promise.all([
      db.select().from(nodes).where(and(where, afterCursor(NODE_SORT, page.after))).orderBy(...orderByKeyset(NODE_SORT)).limit(page.limit + 1),
      db.select({ value: count() }).from(nodes).where(where),
    ]);
    return trimPage(rows, page.limit, total?.value ?? 0);
  }

  async insert(row: NewNodeRow): Promise<NodeRow> {
    const [created] = await this.database.db.insert(nodes).values(row).returning();
    if (!created) throw new Error('insert into nodes returned no row');
    return created;
  }

  /** Nodes ONLINE or DRAINING that have not called in since `silentSince` become OFFLINE; returns their ids. */
  async markSilentOffline(silentSince: Date): Promise<string[]> {
    const rows = await this.database.background
      .update(nodes)
      .set({ status: 'OFFLINE', updatedAt: new Date() })
      .where(and(inArray(nodes.status, ['ONLINE', 'DRAINING']), or(isNull(nodes.lastHeartbeatAt), lt(nodes.lastHeartbeatAt, silentSince))))
      .returning({ id: nodes.id });
    return rows.map((row) => row.id);
  }

  /** A node calling in: its heartbeat time, and back ONLINE if it had gone OFFLINE. */
  async recordHeartbeat(id: string, at: Date): Promise<NodeRow | undefined> {
    const [row] = await this.database.db
      .update(nodes)
      .set({ lastHeartbeatAt: at, status: sql`case when ${nodes.status} = 'OFFLINE' then 'ONLINE'::node_status else ${nodes.status} end`, updatedAt: at })
      .where(eq(nodes.id, id))
      .returning();
    return row;
  }

  async update(id: string, changes: Partial<Pick<NewNodeRow, 'status' | 'labels'>>): Promise<NodeRow | undefined> {
    const [updated] = await this.database.db.update(nodes).set({ ...changes, updatedAt: new Date() }).where(eq(nodes.id, id)).returning();
    return updated;
  }
}
