import { optionalUrl, parseConfig, port, z } from '@cloudphone/config';

/** A peer subgraph's URL; empty or unset falls back to the local default. */
const peerUrl = (fallback: string) => optionalUrl.transform((value) => value ?? fallback);

const schema = z.object({
  BILLING_DATABASE_URL: optionalUrl,
  /** Root folder of embedded databases, used when no database URL is set. */
  DATA_DIR: z.string().default('.data/pglite'),
  BILLING_PORT: port(4004),
  HOST: z.string().default('0.0.0.0'),
  /** RabbitMQ; unset in a single-process embedded setup, where events travel in process. */
  AMQP_URL: optionalUrl,
  USERS_SUBGRAPH_URL: peerUrl('http://127.0.0.1:4001/graphql'),
  DEVICES_SUBGRAPH_URL: peerUrl('http://127.0.0.1:4002/graphql'),
});

export interface BillingConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  amqpUrl: string | undefined;
  /** Where the users and devices subgraphs answer (orders check and copy their user and device). */
  peers: { users: string; devices: string };
}

/** The billing subgraph's only reader of the environment; fails at boot on a bad value. */
export function loadBillingConfig(env: Record<string, string | undefined> = process.env): BillingConfig {
  const parsed = parseConfig('billing subgraph', schema, env);
  return {
    databaseUrl: parsed.BILLING_DATABASE_URL,
    dataDir: parsed.DATA_DIR,
    port: parsed.BILLING_PORT,
    host: parsed.HOST,
    amqpUrl: parsed.AMQP_URL,
    peers: { users: parsed.USERS_SUBGRAPH_URL, devices: parsed.DEVICES_SUBGRAPH_URL },
  };
}
