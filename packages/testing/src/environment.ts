import { parseConfig, z } from '@cloudphone/config';
import { connect } from 'amqplib';
import { Redis } from 'ioredis';
import postgres from 'postgres';

const schema = z.object({
  CI: z.string().optional().transform((value) => value === 'true' || value === '1'),
  /** A PostgreSQL URL with rights to create databases; tests make throwaway databases on it. */
  TEST_POSTGRES_URL: z.string().optional().transform((value) => (value === '' ? undefined : value)),
  /** A RabbitMQ URL; tests isolate themselves with their own exchange and queue names. */
  TEST_AMQP_URL: z.string().optional().transform((value) => (value === '' ? undefined : value)),
  /** A Redis URL; tests isolate themselves with their own key and channel prefix. */
  TEST_REDIS_URL: z.string().optional().transform((value) => (value === '' ? undefined : value)),
  /**
   * The database name prefix of a large seed loaded on TEST_POSTGRES_URL's server (`npm run seed -- --scale large`
   * makes `cloudphone_large_<subgraph>`): tests that check plans at scale run on it; unset, they use their own data.
   */
  TEST_LARGE_SEED_PREFIX: z.string().optional().transform((value) => (value === '' ? undefined : value)),
});

export interface TestEnvironment {
  ci: boolean;
  postgresUrl: string | undefined;
  amqpUrl: string | undefined;
  redisUrl: string | undefined;
  largeSeedPrefix: string | undefined;
}

/** The test suite's only reader of the environment. */
export function testEnvironment(env: Record<string, string | undefined> = process.env): TestEnvironment {
  const parsed = parseConfig('tests', schema, env);
  return { ci: parsed.CI, postgresUrl: parsed.TEST_POSTGRES_URL, amqpUrl: parsed.TEST_AMQP_URL, redisUrl: parsed.TEST_REDIS_URL, largeSeedPrefix: parsed.TEST_LARGE_SEED_PREFIX };
}

/**
 * The PostgreSQL admin URL when a server answers. Locally, without one, tests
 * that need it are skipped; in CI (CI=true) a missing or silent server fails.
 */
export async function realPostgres(): Promise<string | undefined> {
  const { ci, postgresUrl } = testEnvironment();
  if (postgresUrl === undefined) {
    if (ci) throw new Error('CI=true but TEST_POSTGRES_URL is not set');
    return undefined;
  }
  const sql = postgres(postgresUrl, { max: 1, connect_timeout: 5, onnotice: () => undefined });
  try {
    await sql`select 1`;
    return postgresUrl;
  } catch (error) {
    if (ci) throw new Error(`CI=true but PostgreSQL at TEST_POSTGRES_URL does not answer: ${(error as Error).message}`);
    return undefined;
  } finally {
    await sql.end({ timeout: 2 });
  }
}

/** The RabbitMQ URL when a broker answers; like `realPostgres`, a missing broker fails in CI. */
export async function realRabbitMq(): Promise<string | undefined> {
  const { ci, amqpUrl } = testEnvironment();
  if (amqpUrl === undefined) {
    if (ci) throw new Error('CI=true but TEST_AMQP_URL is not set');
    return undefined;
  }
  try {
    const connection = await connect(amqpUrl, { timeout: 5_000 });
    await connection.close();
    return amqpUrl;
  } catch (error) {
    if (ci) throw new Error(`CI=true but RabbitMQ at TEST_AMQP_URL does not answer: ${(error as Error).message}`);
    return undefined;
  }
}

/** The Redis URL when a server answers PING; like `realPostgres`, a missing server fails in CI. */
export async function realRedis(): Promise<string | undefined> {
  const { ci, redisUrl } = testEnvironment();
  if (redisUrl === undefined) {
    if (ci) throw new Error('CI=true but TEST_REDIS_URL is not set');
    return undefined;
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 5_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return redisUrl;
  } catch (error) {
    if (ci) throw new Error(`CI=true but Redis at TEST_REDIS_URL does not answer: ${(error as Error).message}`);
    return undefined;
  } finally {
    redis.disconnect();
  }
}
