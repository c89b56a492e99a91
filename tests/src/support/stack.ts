import type { DatabaseTarget } from '@cloudphone/db';
import { type GatewayHandle, loadGatewayConfig, startGateway } from '@cloudphone/gateway';
import { inMemoryPglite, realPostgres, realRedis, throwawayPostgres } from '@cloudphone/testing';
import { DEMO_ADMIN, type EventSettings, type Stack, type StackOptions, type SubgraphProcessOptions, readRoverConfig, startStack } from '@cloudphone/tools';
import { type SignedIn, signIn, signInAsDemoAdmin } from './auth.js';

export type DatabaseKind = 'postgres' | 'pglite';

export interface TestStack extends Stack {
  kind: DatabaseKind;
  /** Each subgraph's database (tests may reach into PostgreSQL ones, e.g. to corrupt a copy). */
  databases: Record<string, DatabaseTarget>;
  /** A SUPER_ADMIN signed in through the gateway: the demo admin when seeded, else a fresh account. */
  admin: SignedIn;
}

function seedsDemoAdmin(seed: Record<string, unknown> | null): boolean {
  const users = (seed?.['users'] as { users?: { email?: string }[] } | undefined)?.users ?? [];
  return users.some((user) => user.email === DEMO_ADMIN.email);
}

/** `demoAdmin`: the data has the demo administrator (seeded, or a large seed); else a fresh one is made. */
async function withAdmin<T extends Stack>(stack: T, demoAdmin: boolean): Promise<T & { admin: SignedIn }> {
  try {
    return { ...stack, admin: demoAdmin ? await signInAsDemoAdmin(stack) : await signIn(stack, 'SUPER_ADMIN') };
  } catch (error) {
    await stack.close();
    throw error;
  }
}

export interface TestStackOptions {
  /** Redis when one is configured (the default), or none: revocations and the cache in process. */
  redis?: 'when-configured' | 'none';
  /**
   * Subgraphs to run as child processes that a test can kill and restart
   * (`stack.processes`); they need kind 'postgres', RabbitMQ in `events` and Redis.
   */
  processes?: Record<string, SubgraphProcessOptions>;
  /** Fills the fresh PostgreSQL databases before the stack starts on them (e.g. a bulk load); PostgreSQL only. */
  prepare?: (databases: Record<string, DatabaseTarget>) => Promise<void>;
  /** Where the gateway and every subgraph send their spans (OTLP/HTTP); no tracing by default. */
  tracesUrl?: string;
  /** Databases that already hold data with the demo administrator (a large seed): the stack runs on them and does not drop them. */
  existing?: Record<string, DatabaseTarget>;
}

/**
 * Starts the whole supergraph for a test on throwaway databases: real
 * PostgreSQL (a fresh database per subgraph, dropped on close) or in-memory
 * PGlite. Returns undefined when PostgreSQL is wanted but absent outside CI.
 */
export async function startTestStack(
  kind: DatabaseKind,
  seed: Record<string, unknown> | null,
  gatewayEnv: Record<string, string> = {},
  events: Partial<EventSettings> = {},
  options: TestStackOptions = {},
): Promise<TestStack | undefined> {
  const names = (await readRoverConfig()).subgraphs.map((subgraph) => subgraph.name);
  // Revocations, rate limits and the configuration cache go through Redis whenever one is configured
  // (always in CI) unless the test asks for none (the embedded path). Rate limits
  // are out of the way unless a test sets its own.
  const redisUrl = options.redis === 'none' ? undefined : await realRedis();
  const common: Omit<StackOptions, 'databases'> = {
    ports: { kind: 'free' },
    host: '127.0.0.1',
    seed,
    gatewayEnv: { RATE_LIMIT_POINTS: '1000000', RATE_LIMIT_ANONYMOUS_POINTS: '1000000', ...gatewayEnv },
    events,
    redisUrl,
    processes: options.processes,
    tracesUrl: options.tracesUrl,
  };
  if (kind === 'pglite') {
    if (options.prepare) throw new Error('prepare needs PostgreSQL databases');
    const targets = inMemoryPglite(names);
    const stack = await withAdmin(await startStack({ ...common, databases: targets }), seedsDemoAdmin(seed));
    return { ...stack, kind, databases: targets };
  }
  const adminUrl = await realPostgres();
  if (adminUrl === undefined) return undefined;
  if (options.existing) {
    const stack = await withAdmin(await startStack({ ...common, databases: options.existing }), true);
    return { ...stack, kind, databases: options.existing };
  }
  const databases = throwawayPostgres(adminUrl, names);
  try {
    await options.prepare?.(databases.targets);
    const stack = await withAdmin(await startStack({ ...common, databases: databases.targets }), seedsDemoAdmin(seed));
    return {
      ...stack,
      kind,
      databases: databases.targets,
      close: async () => {
        await stack.close();
        await databases.drop();
      },
    };
  } catch (error) {
    await databases.drop();
    throw error;
  }
}

/** The database kind integration tests run on: PostgreSQL when configured (always in CI), else PGlite. */
export async function preferredKind(): Promise<DatabaseKind> {
  return (await realPostgres()) === undefined ? 'pglite' : 'postgres';
}

/**
 * A second gateway in front of the stack's subgraphs, sharing what replicas
 * share: the internal secret, the events namespace (and broker), and Redis
 * when one is configured. `env` adds gateway settings (e.g. rate limits).
 */
export async function startReplica(stack: TestStack, env: Record<string, string> = {}): Promise<GatewayHandle> {
  const redisUrl = await realRedis();
  const config = loadGatewayConfig({
    GATEWAY_PORT: '0',
    HOST: '127.0.0.1',
    EVENTS_NAMESPACE: stack.events.namespace,
    INTERNAL_AUTH_SECRET: stack.internalSecret,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    ...(stack.events.amqpUrl ? { AMQP_URL: stack.events.amqpUrl } : {}),
    ...env,
  });
  return startGateway({ ...config, subgraphUrls: stack.subgraphUrls });
}
