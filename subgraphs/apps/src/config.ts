import { optionalUrl, parseConfig, port, z } from '@cloudphone/config';

const schema = z.object({
  APPS_DATABASE_URL: optionalUrl,
  /** Root folder of embedded databases, used when no database URL is set. */
  DATA_DIR: z.string().default('.data/pglite'),
  APPS_PORT: port(4003),
  HOST: z.string().default('0.0.0.0'),
  /** RabbitMQ; unset in a single-process embedded setup, where events travel in process. */
  AMQP_URL: optionalUrl,
  /** The devices subgraph, asked whether a device exists and runs before an install. */
  DEVICES_SUBGRAPH_URL: z.url().default('http://127.0.0.1:4002/graphql'),
});

export interface AppsConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  amqpUrl: string | undefined;
  devicesSubgraphUrl: string;
}

/** The apps subgraph's only reader of the environment; fails at boot on a bad value. */
export function loadAppsConfig(env: Record<string, string | undefined> = process.env): AppsConfig {
  const parsed = parseConfig('apps subgraph', schema, env);
  return {
    databaseUrl: parsed.APPS_DATABASE_URL,
    dataDir: parsed.DATA_DIR,
    port: parsed.APPS_PORT,
    host: parsed.HOST,
    amqpUrl: parsed.AMQP_URL,
    devicesSubgraphUrl: parsed.DEVICES_SUBGRAPH_URL,
  };
}
