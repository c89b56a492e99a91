import { randomUUID } from 'node:crypto';
import { type SubgraphDatabase, openDatabase, queryRows } from '@cloudphone/db';
import { type AnyEventEnvelope, type EventTransport, type RetryPolicy, InProcessTransport, RabbitMqTransport, createEnvelope } from '@cloudphone/events';
import { realPostgres, realRabbitMq, throwawayPostgres } from '@cloudphone/testing';
import { usersSubgraph } from '@cloudphone/users-subgraph';
import { sql } from 'drizzle-orm';

export interface TransportFactory {
  kind: 'rabbitmq' | 'in-process';
  create(retry: RetryPolicy): EventTransport;
}

/** The transports to run an event test on: in process always, RabbitMQ when configured (always in CI). */
export async function transportFactories(): Promise<TransportFactory[]> {
  const factories: TransportFactory[] = [{ kind: 'in-process', create: (retry) => new InProcessTransport(`test-${randomUUID()}`, retry) }];
  const amqpUrl = await realRabbitMq();
  if (amqpUrl) factories.push({ kind: 'rabbitmq', create: (retry) => new RabbitMqTransport({ url: amqpUrl, namespace: `test-${randomUUID()}`, retry }) });
  return factories;
}

export interface EventsDatabase {
  database: SubgraphDatabase;
  /** The PostgreSQL URL, for other processes; empty on PGlite. */
  url: string;
  /** Another connection pool on the same database: a second replica. */
  openReplica(): Promise<SubgraphDatabase>;
  /** Rows of the test's effect table, one per applied event. */
  effects(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * A database with an outbox and an inbox (the users subgraph's migrations)
 * and an `effects` table the test's handlers write to: PostgreSQL when
 * configured, else in-memory PGlite (single connection: no replicas).
 */
export async function eventsDatabase(options: { requirePostgres?: boolean } = {}): Promise<EventsDatabase | undefined> {
  const adminUrl = await realPostgres();
  if (adminUrl === undefined && options.requirePostgres) return undefined;
  const throwaway = adminUrl === undefined ? undefined : throwawayPostgres(adminUrl, ['events']);
  const target = throwaway?.targets['events'] ?? { kind: 'pglite' as const };
  const open = () => openDatabase({ service: 'events-test', target, migrationsFolder: usersSubgraph.migrationsFolder });
  const database = await open();
  await database.db.execute(sql`create table effects (event_id uuid not null, applied_at timestamptz not null default now())`);
  const replicas: SubgraphDatabase[] = [];
  return {
    database,
    url: target.kind === 'postgres' ? target.url : '',
    openReplica: async () => {
      const replica = await open();
      replicas.push(replica);
      return replica;
    },
    effects: async () => (await queryRows<{ event_id: string }>(database.db, sql`select event_id from effects`)).map((row) => row.event_id),
    close: async () => {
      await Promise.all(replicas.map((replica) => replica.close()));
      await database.close();
      await throwaway?.drop();
    },
  };
}

/** A valid user.updated envelope for user `userId` at `version`. */
export function userUpdated(userId: string, version: number, displayName = `User v${version}`): AnyEventEnvelope {
  return createEnvelope(
    'user.updated',
    {
      userId,
      tenantId: '00000000-0000-4000-8000-00000000000a',
      username: 'someone',
      email: `someone.v${version}@example.com`,
      displayName,
      status: 'ACTIVE',
      version,
    },
    { source: 'events-test' },
  );
}

/** Waits until `condition` holds, polling; fails with `message` after `timeoutMs`. */
export async function eventually(condition: () => Promise<boolean> | boolean, message: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
