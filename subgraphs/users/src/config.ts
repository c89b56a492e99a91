import { optionalUrl, parseConfig, port, z } from '@cloudphone/config';

const schema = z.object({
  USERS_DATABASE_URL: optionalUrl,
  /** Root folder of embedded databases, used when no database URL is set. */
  DATA_DIR: z.string().default('.data/pglite'),
  USERS_PORT: port(4001),
  HOST: z.string().default('0.0.0.0'),
  /** RabbitMQ; unset in a single-process embedded setup, where events travel in process. */
  AMQP_URL: optionalUrl,
});

export interface UsersConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  amqpUrl: string | undefined;
}

/** The users subgraph's only reader of the environment; fails at boot on a bad value. */
export function loadUsersConfig(env: Record<string, string | undefined> = process.env): UsersConfig {
  const parsed = parseConfig('users subgraph', schema, env);
  return { databaseUrl: parsed.USERS_DATABASE_URL, dataDir: parsed.DATA_DIR, port: parsed.USERS_PORT, host: parsed.HOST, amqpUrl: parsed.AMQP_URL };
}
