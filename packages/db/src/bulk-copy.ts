import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { getTableName } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { CopyEncoder } from './copy.js';
import { type SeedPlan, seedExtras } from './seed-plan.js';

type Rows = readonly Readonly<Record<string, unknown>>[];

/** An index the load sets aside and builds again afterwards, from its own definition. */
interface SetAsideIndex {
  name: string;
  definition: string;
}

interface OpenCopy {
  position: number;
  encoder: CopyEncoder;
  stream: Writable;
}

export interface BulkCopyTimings {
  /** From the first row to the last one copied (the rows come as fast as they are generated). */
  copyMs: number;
  /** Derived rows, index builds and commit. */
  finishMs: number;
  analyzeMs: number;
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/**
 * One subgraph database's bulk load of a seed plan, in one transaction:
 * the plan's tables are emptied first (so COPY ... FREEZE writes rows already
 * frozen and visible to all: no hint-bit rewrite on first read, index-only
 * scans at once), their secondary indexes set aside, the rows copied in
 * plan order as they come (`write`), then `finish` derives the plan's rows,
 * builds the indexes again from their own definitions (one sort each instead
 * of millions of random insertions), commits and ANALYZEs. The schema ends
 * as the migrations define it. PostgreSQL only; the database must hold no
 * seed data (its tables are truncated).
 */
export class BulkCopy<TSeed> {
  private current: OpenCopy | undefined;
  /** What the server answered when a copy failed (it ends the stream; the next write or the end reports it). */
  private failure: Error | undefined;
  private readonly extras: Record<string, unknown[]> = {};
  private readonly counts = new Map<string, number>();
  private started = 0;
  private copiedAt = 0;

  private constructor(
    private readonly plan: SeedPlan<TSeed>,
    private readonly connection: postgres.Sql,
    private readonly setAside: readonly SetAsideIndex[],
  ) {}

  static async open<TSeed>(url: string, plan: SeedPlan<TSeed>): Promise<BulkCopy<TSeed>> {
    // One connection for the whole transaction: no pool, no recycling of it half-way (max_lifetime 0).
    const connection = postgres(url, { max: 1, max_lifetime: 0, onnotice: () => undefined });
    try {
      const tables = plan.tables.map(({ table }) => getTableName(table));
      await connection`begin`;
      // Index builds sort in memory rather than on disk.
      await connection`set local maintenance_work_mem = '256MB'`;
      await connection.unsafe(`truncate ${tables.map(quote).join(', ')} cascade`);
      const setAside = await connection<SetAsideIndex[]>`
        select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as definition
        from pg_index
        where indrelid = any(select unnest(${tables}::text[])::regclass)
          and not exists (select 1 from pg_constraint where conindid = indexrelid)`;
      for (const index of setAside) await connection.unsafe(`drop index ${index.name}`);
      return new BulkCopy(plan, connection, setAside);
    } catch (error) {
      await connection.end({ timeout: 1 });
      throw error;
    }
  }

  /** Copies part of the seed: each table's rows must all come before the next table's (plan order). */
  async write(part: Partial<TSeed>): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.started === 0) this.started = Date.now();
    for (const [key, value] of Object.entries(seedExtras(this.plan, part))) {
      if (Array.isArray(value)) (this.extras[key] ??= []).push(...(value as unknown[]));
    }
    for (const [position, { key, table }] of this.plan.tables.entries()) {
      const rows = part[key] as Rows | undefined;
      if (!rows || rows.length === 0) continue;
      const copy = await this.copyInto(position, table, rows);
      this.counts.set(copy.encoder.tableName, (this.counts.get(copy.encoder.tableName) ?? 0) + rows.length);
      if (!copy.stream.write(copy.encoder.encode(rows))) await once(copy.stream, 'drain');
    }
  }

  private async copyInto(position: number, table: SeedPlan<TSeed>['tables'][number]['table'], sample: Rows): Promise<OpenCopy> {
    if (this.current?.position === position) return this.current;
    if (this.current && this.current.position > position) {
      throw new Error(`${getTableName(table)} rows came after ${this.current.encoder.tableName} rows: a bulk seed gives each table's rows before the next table's`);
    }
    await this.endCopy();
    const encoder = new CopyEncoder(table, sample);
    const stream = await this.connection.unsafe(`copy ${quote(encoder.tableName)} (${encoder.columnNames.map(quote).join(', ')}) from stdin with (freeze)`).writable();
    stream.on('error', (error: Error) => {
      this.failure ??= error;
    });
    this.current = { position, encoder, stream };
    return this.current;
  }

  private async endCopy(): Promise<void> {
    const copy = this.current;
    if (!copy) return;
    this.current = undefined;
    copy.stream.end();
    await finished(copy.stream);
  }

  /** Ends the copies, derives the plan's rows, rebuilds the indexes, commits and analyzes. Rows copied per table. */
  async finish(): Promise<{ rows: Record<string, number>; timings: BulkCopyTimings }> {
    try {
      await this.endCopy();
      this.copiedAt = Date.now();
      await this.plan.afterLoad?.(drizzle(this.connection), this.extras as Partial<TSeed>);
      for (const index of this.setAside) await this.connection.unsafe(index.definition);
      await this.connection`commit`;
      const committedAt = Date.now();
      await this.connection`analyze`;
      return {
        rows: Object.fromEntries(this.counts),
        timings: { copyMs: this.copiedAt - (this.started || this.copiedAt), finishMs: committedAt - this.copiedAt, analyzeMs: Date.now() - committedAt },
      };
    } finally {
      await this.connection.end({ timeout: 5 });
    }
  }

  /** Gives up: the connection closes and the transaction rolls back, leaving the database as it was. */
  async abort(): Promise<void> {
    this.current?.stream.destroy();
    await this.connection.end({ timeout: 1 });
  }
}
