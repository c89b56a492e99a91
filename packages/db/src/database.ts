import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { migratedTemplate } from './embedded-template.js';
import { ensureDatabaseExists } from './ensure-database.js';
import { StatementCounter } from './statement-counter.js';
import { tracedPgliteClient, tracedPostgresClient } from './traced-clients.js';

/** The query builder every repository works with, whichever driver is underneath. */
export type Database = PgDatabase<PgQueryResultHKT>;

/** Where a subgraph's data lives: a real PostgreSQL server, or embedded PGlite. */
export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | {
      kind: 'pglite';
      /** Where the data is kept; in memory when absent. */
      dataDir?: string | undefined;
      /**
       * For an in-memory database: a folder of dumps of freshly migrated databases. It starts from one (about a
       * second, against several of initdb) and makes the dump when missing. Tests start many of them.
       */
      templateDir?: string | undefined;
    };

export interface OpenDatabaseOptions {
  /** The owning subgraph, for logs and counters. */
  service: string;
  target: DatabaseTarget;
  migrationsFolder: string;
  /** Tracing is on: each statement of request work is a span under the request's (background work is not traced). */
  traced?: boolean;
}

/** A subgraph's open database: the query builder, a statement counter, and a way to close it. */
export interface SubgraphDatabase {
  readonly service: string;
  /** `none`: a stand-in while printing the schema, where nothing may run. */
  readonly kind: DatabaseTarget['kind'] | 'none';
  /** The query builder of request work; its statements are counted. */
  readonly db: Database;
  /** The same database for background work (outbox relay): not counted, so request counts stay exact. */
  readonly background: Database;
  readonly statements: StatementCounter;
  /** Calls `onNotify` on every NOTIFY on `channel`; resolves to a function that stops listening. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  /** Resolves when the database answers a trivial query (readiness probes); rejects when it cannot. Not counted. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

class CountingLogger implements Logger {
  constructor(private readonly counter: StatementCounter) {}
  logQuery(query: string, params: unknown[]): void {
    this.counter.record(query, params);
  }
}

// A fixed key so that concurrent replicas starting at once migrate one at a time.
const MIGRATION_LOCK_KEY = 727_405_118;

async function openPostgres(options: OpenDatabaseOptions, url: string, poolSize: number): Promise<SubgraphDatabase> {
  await ensureDatabaseExists(url);
  const migrationClient = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await migrationClient`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await migratePostgres(drizzlePostgres(migrationClient), { migrationsFolder: options.migrationsFolder });
    } finally {
      await migrationClient`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await migrationClient.end();
  }
  const client = postgres(url, { max: poolSize, onnotice: () => undefined });
  const statements = new StatementCounter();
  return {
    service: options.service,
    kind: 'postgres',
    db: drizzlePostgres(options.traced ? tracedPostgresClient(client) : client, { logger: new CountingLogger(statements) }),
    background: drizzlePostgres(client),
    statements,
    listen: async (channel, onNotify) => {
      const { unlisten } = await client.listen(channel, () => onNotify());
      return unlisten;
    },
    ping: async () => {
      await client`select 1`;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * Embedded PostgreSQL serves one developer's machine: small buffers keep one
 * instance per subgraph within the embedded mode's memory budget (measured:
 * 128 MB of shared buffers cost about 120 MB of RSS per instance).
 */
const EMBEDDED_POSTGRES_SETTINGS = ['shared_buffers = 16MB', 'wal_buffers = 1MB', 'max_connections = 5'];

async function openPglite(options: OpenDatabaseOptions, target: Extract<DatabaseTarget, { kind: 'pglite' }>): Promise<SubgraphDatabase> {
  const { dataDir, templateDir } = target;
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  const template = dataDir === undefined && templateDir !== undefined ? await migratedTemplate(templateDir, options.migrationsFolder, EMBEDDED_POSTGRES_SETTINGS) : undefined;
  const client = await PGlite.create({
    ...(dataDir === undefined ? {} : { dataDir }),
    ...(template === undefined ? {} : { loadDataDir: template }),
    postgresqlconf: EMBEDDED_POSTGRES_SETTINGS,
  });
  // A no-op on a migrated template, but cheap: the journal is compared, nothing runs.
  await migratePglite(drizzlePglite(client), { migrationsFolder: options.migrationsFolder });
  const statements = new StatementCounter();
  return {
    service: options.service,
    kind: 'pglite',
    db: drizzlePglite(options.traced ? tracedPgliteClient(client) : client, { logger: new CountingLogger(statements) }),
    background: drizzlePglite(client),
    statements,
    listen: (channel, onNotify) => client.listen(channel, () => onNotify()),
    ping: async () => {
      await client.query('select 1');
    },
    close: () => client.close(),
  };
}

/** Opens (creating and migrating as needed) the database of one subgraph. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<SubgraphDatabase> {
  const { target } = options;
  return target.kind === 'postgres'
    ? openPostgres(options, target.url, target.poolSize ?? 10)
    : openPglite(options, target);
}
