import path from 'node:path';
import { internalAuthSecret, optionalUrl, parseConfig, port, z } from '@cloudphone/config';
import { REPO_ROOT } from './paths.js';
import { DEMO_ADMIN } from './seed/dataset.js';

const schema = z.object({
  DATA_DIR: z.string().default('.data/pglite'),
  GATEWAY_PORT: port(4000),
  HOST: z.string().default('127.0.0.1'),
  SEED: z.enum(['demo', 'none']).default('demo'),
  /** Simulated host agents that keep every node calling in (the demo has no real hosts); `none` lets silent nodes go OFFLINE. */
  NODE_AGENTS: z.enum(['simulated', 'none']).default('simulated'),
  LOG_LEVEL: z.enum(['quiet', 'verbose']).default('quiet'),
  /** RabbitMQ for events between subgraphs; in process without it. */
  AMQP_URL: optionalUrl,
  /** Redis for token revocations, rate limits and the configuration cache; in process without it. */
  REDIS_URL: optionalUrl,
  /** Shared by the gateway and the subgraphs; a development secret under DATA_DIR/../auth when unset. */
  INTERNAL_AUTH_SECRET: internalAuthSecret,
});

export interface LauncherConfig {
  /** Absolute root of the embedded databases. */
  dataDir: string;
  gatewayPort: number;
  host: string;
  seed: 'demo' | 'none';
  nodeAgents: 'simulated' | 'none';
  verbose: boolean;
  amqpUrl: string | undefined;
  redisUrl: string | undefined;
  internalAuthSecret: string | undefined;
  /** `<SUBGRAPH>_DATABASE_URL` values that are set, by subgraph name. */
  databaseUrls: Record<string, string>;
}

/** The launcher's only reader of the environment (`npm start`, `npm run reset`, `npm run seed`). */
export function loadLauncherConfig(subgraphNames: readonly string[], env: Record<string, string | undefined> = process.env): LauncherConfig {
  const parsed = parseConfig('launcher', schema, env);
  const databaseUrls: Record<string, string> = {};
  for (const name of subgraphNames) {
    const variable = `${name.toUpperCase()}_DATABASE_URL`;
    const url = parseConfig('launcher', z.object({ [variable]: optionalUrl }), { [variable]: env[variable] })[variable] as string | undefined;
    if (url !== undefined) databaseUrls[name] = url;
  }
  return {
    dataDir: path.resolve(REPO_ROOT, parsed.DATA_DIR),
    gatewayPort: parsed.GATEWAY_PORT,
    host: parsed.HOST,
    seed: parsed.SEED,
    nodeAgents: parsed.NODE_AGENTS,
    verbose: parsed.LOG_LEVEL === 'verbose',
    amqpUrl: parsed.AMQP_URL,
    redisUrl: parsed.REDIS_URL,
    internalAuthSecret: parsed.INTERNAL_AUTH_SECRET,
    databaseUrls,
  };
}

/** `npm run consistency:check`: the gateway, and the subgraphs that hold copies (rover.yaml URLs unless overridden). */
export function loadConsistencyConfig(
  routingUrls: Record<string, string>,
  env: Record<string, string | undefined> = process.env,
): {
  gatewayUrl: string;
  devicesUrl: string;
  billingUrl: string;
  accessToken: string | undefined;
  adminEmail: string;
  adminPassword: string;
  internalSecret: string | undefined;
  dataDir: string;
} {
  const parsed = parseConfig(
    'consistency check',
    z.object({
      GATEWAY_URL: z.url().default('http://127.0.0.1:4000/graphql'),
      DEVICES_SUBGRAPH_URL: z.url().optional(),
      BILLING_SUBGRAPH_URL: z.url().optional(),
      /** An administrator's access token; without it the check signs in with ADMIN_EMAIL / ADMIN_PASSWORD (the demo admin by default). */
      ACCESS_TOKEN: z.string().optional(),
      ADMIN_EMAIL: z.string().default(DEMO_ADMIN.email),
      ADMIN_PASSWORD: z.string().default(DEMO_ADMIN.password),
      INTERNAL_AUTH_SECRET: internalAuthSecret,
      DATA_DIR: z.string().default('.data/pglite'),
    }),
    env,
  );
  const devicesUrl = parsed.DEVICES_SUBGRAPH_URL ?? routingUrls['devices'];
  const billingUrl = parsed.BILLING_SUBGRAPH_URL ?? routingUrls['billing'];
  if (!devicesUrl || !billingUrl) throw new Error('rover.yaml lists no devices or billing subgraph');
  return {
    gatewayUrl: parsed.GATEWAY_URL,
    devicesUrl,
    billingUrl,
    accessToken: parsed.ACCESS_TOKEN,
    adminEmail: parsed.ADMIN_EMAIL,
    adminPassword: parsed.ADMIN_PASSWORD,
    internalSecret: parsed.INTERNAL_AUTH_SECRET,
    dataDir: path.resolve(REPO_ROOT, parsed.DATA_DIR),
  };
}

/** `npm run events:dlq`: dead letters live on RabbitMQ (the in-process transport keeps them in its process). */
export function loadDeadLetterConfig(env: Record<string, string | undefined> = process.env): { amqpUrl: string; namespace: string } {
  const parsed = parseConfig('events:dlq', z.object({ AMQP_URL: z.url(), EVENTS_NAMESPACE: z.string().default('cloudphone') }), env);
  return { amqpUrl: parsed.AMQP_URL, namespace: parsed.EVENTS_NAMESPACE };
}

/** `npm run bench`: the real servers benchmarks run against. */
export function loadBenchConfig(env: Record<string, string | undefined> = process.env): { postgresUrl: string; amqpUrl: string } {
  const parsed = parseConfig(
    'bench',
    z.object({
      TEST_POSTGRES_URL: z.url().default('postgres://postgres@127.0.0.1:5432/postgres'),
      TEST_AMQP_URL: z.url().default('amqp://guest:guest@127.0.0.1:5672'),
    }),
    env,
  );
  return { postgresUrl: parsed.TEST_POSTGRES_URL, amqpUrl: parsed.TEST_AMQP_URL };
}
