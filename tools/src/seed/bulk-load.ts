import { BulkCopy, type BulkCopyTimings, dropDatabase, openDatabase } from '@cloudphone/db';
import postgres from 'postgres';
import type { RegisteredSubgraph } from '../subgraph-registry.js';
import type { GeneratedChunk } from './bulk-dataset.js';

export interface BulkLoadOptions {
  /** Each subgraph's PostgreSQL database by subgraph name (created when missing). */
  urls: Readonly<Record<string, string>>;
  /** Drop and create again the databases that hold data; without it they are refused. */
  replace: boolean;
  /** After each chunk is handed to the databases: users generated and rows written so far. */
  onChunk?: (usersDone: number, rows: number) => void;
  /** When a database has its rows, indexes and statistics. */
  onLoaded?: (subgraph: string, timings: BulkCopyTimings) => void;
}

export interface BulkLoadReport {
  seconds: number;
  /** Rows copied per subgraph and table (rows a subgraph derives, e.g. default roles, are not counted). */
  rows: Record<string, Record<string, number>>;
  /** pg_database_size of each subgraph's database once loaded. */
  bytes: Record<string, number>;
  timings: Record<string, BulkCopyTimings>;
}

/** Creates and migrates each database (dropping it first when replacing); refuses any that already holds seed data. */
async function prepareDatabases(subgraphs: readonly RegisteredSubgraph[], options: BulkLoadOptions): Promise<void> {
  const holding = await Promise.all(
    subgraphs.map(async ({ name, definition }) => {
      const url = options.urls[name];
      if (url === undefined) throw new Error(`no database given for the ${name} subgraph`);
      if (options.replace) await dropDatabase(url);
      const database = await openDatabase({ service: name, target: { kind: 'postgres', url, poolSize: 1 }, migrationsFolder: definition.migrationsFolder });
      try {
        return (await definition.hasData(database)) ? `${name} (${new URL(url).pathname.slice(1)})` : undefined;
      } finally {
        await database.close();
      }
    }),
  );
  const full = holding.filter((entry) => entry !== undefined);
  if (full.length > 0) throw new Error(`these databases already hold data: ${full.join(', ')}; --replace drops and loads them again`);
}

function rowCount(chunk: GeneratedChunk): number {
  let rows = 0;
  for (const part of Object.values(chunk.rows)) for (const list of Object.values(part ?? {})) if (Array.isArray(list)) rows += list.length;
  return rows;
}

async function databaseSize(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql<{ bytes: string }[]>`select pg_database_size(current_database())::text as bytes`;
    return Number(row?.bytes ?? 0);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Loads a generated dataset into every subgraph's PostgreSQL database with
 * COPY: the databases are migrated as the subgraphs migrate them, each
 * loads in one transaction (see BulkCopy), all six at once, fed chunk by
 * chunk: the next chunk is generated while the databases take the last one.
 */
export async function bulkLoad(subgraphs: readonly RegisteredSubgraph[], chunks: Iterable<GeneratedChunk>, options: BulkLoadOptions): Promise<BulkLoadReport> {
  const started = Date.now();
  await prepareDatabases(subgraphs, options);
  const copies = new Map<string, BulkCopy<unknown>>();
  try {
    for (const { name, definition } of subgraphs) copies.set(name, await BulkCopy.open(options.urls[name] ?? '', definition.seedPlan));
    let rows = 0;
    let inFlight: Promise<unknown> = Promise.resolve();
    for (const chunk of chunks) {
      await inFlight;
      inFlight = Promise.all([...copies].map(([name, copy]) => copy.write((chunk.rows as Record<string, Partial<unknown> | undefined>)[name] ?? {})));
      // Awaited before the next chunk; until then a failure must not count as unhandled.
      inFlight.catch(() => undefined);
      rows += rowCount(chunk);
      options.onChunk?.(chunk.usersDone, rows);
    }
    await inFlight;
  } catch (error) {
    await Promise.all([...copies.values()].map((copy) => copy.abort()));
    throw error;
  }
  const finished = await Promise.all(
    [...copies].map(async ([name, copy]) => {
      const result = await copy.finish();
      options.onLoaded?.(name, result.timings);
      return [name, result] as const;
    }),
  );
  const bytes = Object.fromEntries(await Promise.all(subgraphs.map(async ({ name }) => [name, await databaseSize(options.urls[name] ?? '')] as const)));
  return {
    seconds: (Date.now() - started) / 1000,
    rows: Object.fromEntries(finished.map(([name, result]) => [name, result.rows])),
    timings: Object.fromEntries(finished.map(([name, result]) => [name, result.timings])),
    bytes,
  };
}
