import { optionalUrl, parseConfig, port, z } from '@cloudphone/config';

const schema = z.object({
  DEVICES_DATABASE_URL: optionalUrl,
  /** Root folder of embedded databases, used when no database URL is set. */
  DATA_DIR: z.string().default('.data/pglite'),
  DEVICES_PORT: port(4002),
  HOST: z.string().default('0.0.0.0'),
  /** RabbitMQ; unset in a single-process embedded setup, where events travel in process. */
  AMQP_URL: optionalUrl,
  USERS_SUBGRAPH_URL: z.url().default('http://127.0.0.1:4001/graphql'),
});

export interface DevicesConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  amqpUrl: string | undefined;
  peers: { users: string };
}

/** The devices subgraph's only reader of the environment; fails at boot on a bad value. */
export function loadDevicesConfig(env: Record<string, string | undefined> = process.env): DevicesConfig {
  const parsed = parseConfig('devices subgraph', schema, env);
  return {
    databaseUrl: parsed.DEVICES_DATABASE_URL,
    dataDir: parsed.DATA_DIR,
    port: parsed.DEVICES_PORT,
    host: parsed.HOST,
    amqpUrl: parsed.AMQP_URL,
    peers: { users: parsed.USERS_SUBGRAPH_URL },
  };
}
