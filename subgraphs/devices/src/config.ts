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

const driverSchema = z.object({
  DEVICE_PROVISION_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(1_000),
  DEVICE_PROVISION_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  DEVICE_HEALTH_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  /** How often running devices are probed and silent nodes marked OFFLINE. */
  DEVICE_HEALTH_INTERVAL_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(30_000),
});

/**
 * The simulated provider's settings; read when the module is built, also in
 * hosts (the embedded stack) that configure database and port themselves.
 */
export function loadDriverConfig(env: Record<string, string | undefined> = process.env): {
  provisionDelayMs: number;
  failureRate: number;
  healthFailureRate: number;
  healthIntervalMs: number;
} {
  const parsed = parseConfig('devices subgraph', driverSchema, env);
  return {
    provisionDelayMs: parsed.DEVICE_PROVISION_DELAY_MS,
    failureRate: parsed.DEVICE_PROVISION_FAILURE_RATE,
    healthFailureRate: parsed.DEVICE_HEALTH_FAILURE_RATE,
    healthIntervalMs: parsed.DEVICE_HEALTH_INTERVAL_MS,
  };
}
