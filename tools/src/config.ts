import path from 'node:path';
import { parseArgs } from 'node:util';
import { internalAuthSecret, optionalUrl, otlpTracesUrl, otlpVariables, parseConfig, port, z } from '@cloudphone/config';
import { databaseUrlOn } from '@cloudphone/db';
import { REPO_ROOT } from './paths.js';
import { BULK_SCALES } from './seed/bulk-dataset.js';
import { DEMO_ADMIN, DEMO_SEED, DEMO_SIZE, type DatasetSize } from './seed/dataset.js';

const schema = z.object({
  DATA_DIR: z.string().default('.data/pglite'),
  GATEWAY_PORT: port(4000),
  /** The web console (web/dist), with /graphql proxied to the gateway on the same origin. */
  CONSOLE_PORT: port(3000),
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
  /** Spans of the gateway and every subgraph go there (OTLP/HTTP); no tracing without them. */
  ...otlpVariables,
});

export interface LauncherConfig {
  /** Absolute root of the embedded databases. */
  dataDir: string;
  gatewayPort: number;
  consolePort: number;
  host: string;
  seed: 'demo' | 'none';
  nodeAgents: 'simulated' | 'none';
  verbose: boolean;
  amqpUrl: string | undefined;
  redisUrl: string | undefined;
  internalAuthSecret: string | undefined;
  /** Where the gateway and the subgraphs send their spans; undefined: no tracing. */
  tracesUrl: string | undefined;
  /** `<SUBGRAPH>_DATABASE_URL` values that are set, by subgraph name. */
  databaseUrls: Record<string, string>;
}

/** The launcher's only reader of the environment (`npm start`, `npm run reset`, `npm run seed`). */
export function loadLauncherConfig(subgraphNames: readonly string[], env: Record<string, string | undefined> = process.env): LauncherConfig {
  const parsed = parseConfig('launcher', schema, env);
  const databaseUrls = databaseUrlsFrom('launcher', subgraphNames, env);
  return {
    dataDir: path.resolve(REPO_ROOT, parsed.DATA_DIR),
    gatewayPort: parsed.GATEWAY_PORT,
    consolePort: parsed.CONSOLE_PORT,
    host: parsed.HOST,
    seed: parsed.SEED,
    nodeAgents: parsed.NODE_AGENTS,
    verbose: parsed.LOG_LEVEL === 'verbose',
    amqpUrl: parsed.AMQP_URL,
    redisUrl: parsed.REDIS_URL,
    internalAuthSecret: parsed.INTERNAL_AUTH_SECRET,
    tracesUrl: otlpTracesUrl(parsed),
    databaseUrls,
  };
}

const consoleSchema = z.object({
  CONSOLE_PORT: port(3000),
  HOST: z.string().default('0.0.0.0'),
  /** The gateway's GraphQL endpoint that /graphql is passed to (HTTP and WebSocket). */
  GATEWAY_URL: z.url(),
});

export interface ConsoleConfig {
  port: number;
  host: string;
  gatewayUrl: string;
}

/** The console server's only reader of the environment (`node tools/dist/console-main.js`, its own container in production). */
export function loadConsoleConfig(env: Record<string, string | undefined> = process.env): ConsoleConfig {
  const parsed = parseConfig('console', consoleSchema, env);
  return { port: parsed.CONSOLE_PORT, host: parsed.HOST, gatewayUrl: parsed.GATEWAY_URL };
}

/** `<SUBGRAPH>_DATABASE_URL` values that are set, by subgraph name. */
function databaseUrlsFrom(app: string, subgraphNames: readonly string[], env: Record<string, string | undefined>): Record<string, string> {
  const databaseUrls: Record<string, string> = {};
  for (const name of subgraphNames) {
    const variable = `${name.toUpperCase()}_DATABASE_URL`;
    const url = parseConfig(app, z.object({ [variable]: optionalUrl }), { [variable]: env[variable] })[variable] as string | undefined;
    if (url !== undefined) databaseUrls[name] = url;
  }
  return databaseUrls;
}

export type SeedScale = 'demo' | keyof typeof BULK_SCALES;

export interface SeedConfig {
  /** The named scale, or `custom` when sizes were given. */
  scale: SeedScale | 'custom';
  /** The demo dataset itself (`demo`), or generated in bulk at `size`. */
  size: DatasetSize;
  seed: number;
  replace: boolean;
  /** Each subgraph's database. */
  urls: Record<string, string>;
}

export const SEED_USAGE = `npm run seed -- [--scale demo|small|large] [--tenants N --users N --devices N --orders N --applications N]
                   [--seed N] [--postgres-url postgres://user@host:5432/] [--replace]

Loads a dataset into every subgraph's PostgreSQL database with COPY, after migrating it.
  --scale         demo (default: the data npm start seeds), small (${BULK_SCALES.small.users} users) or large
                  (${BULK_SCALES.large.tenants} tenants, ${BULK_SCALES.large.users.toLocaleString('en-US')} users, ${BULK_SCALES.large.devices.toLocaleString('en-US')} devices, ${BULK_SCALES.large.orders.toLocaleString('en-US')} orders)
  --tenants ...   sizes of a custom scale (the others from --scale)
  --seed          the generator's seed (default ${DEMO_SEED}): the same seed and sizes give the same rows
  --postgres-url  a server: one database per subgraph, cloudphone_<scale>_<subgraph>, created when missing;
                  without it, <SUBGRAPH>_DATABASE_URL of every subgraph
  --replace       drop and create again databases that hold data (otherwise they are refused)
The embedded PGlite databases of npm start are no target: they get the demo data on first start.`;

const count = z.coerce.number().int().min(1).optional();
const seedArguments = z.object({
  scale: z.enum(['demo', 'small', 'large']).default('demo'),
  tenants: count,
  users: count,
  devices: count,
  orders: count,
  applications: count,
  seed: z.coerce.number().int().min(0).max(4_294_967_295).default(DEMO_SEED),
  'postgres-url': z.url().optional(),
});

/** `npm run seed`: its arguments, and the databases from `--postgres-url` or `<SUBGRAPH>_DATABASE_URL`. */
export function loadSeedConfig(subgraphNames: readonly string[], argv: readonly string[], env: Record<string, string | undefined> = process.env): SeedConfig {
  const options = { type: 'string' } as const;
  const { values } = parseArgs({
    args: [...argv],
    options: { scale: options, tenants: options, users: options, devices: options, orders: options, applications: options, seed: options, 'postgres-url': options, replace: { type: 'boolean' } },
    strict: true,
  });
  const parsed = parseConfig('seed', seedArguments, { ...values, replace: undefined });
  const base = parsed.scale === 'demo' ? DEMO_SIZE : BULK_SCALES[parsed.scale];
  const size: DatasetSize = {
    tenants: parsed.tenants ?? base.tenants,
    users: parsed.users ?? base.users,
    devices: parsed.devices ?? base.devices,
    orders: parsed.orders ?? base.orders,
    applications: parsed.applications ?? base.applications,
  };
  const custom = [parsed.tenants, parsed.users, parsed.devices, parsed.orders, parsed.applications].some((value) => value !== undefined);
  const scale = custom ? 'custom' : parsed.scale;
  const baseUrl = parsed['postgres-url'];
  const urls = baseUrl ? Object.fromEntries(subgraphNames.map((name) => [name, databaseUrlOn(baseUrl, `cloudphone_${scale}_${name}`)])) : databaseUrlsFrom('seed', subgraphNames, env);
  const missing = subgraphNames.filter((name) => urls[name] === undefined);
  if (missing.length > 0) {
    throw new Error(
      `npm run seed loads PostgreSQL (COPY); embedded PGlite is no target. Give --postgres-url postgres://user@host:5432/ or set ${missing.map((name) => `${name.toUpperCase()}_DATABASE_URL`).join(', ')}`,
    );
  }
  return { scale, size, seed: parsed.seed, replace: values.replace === true, urls };
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
export function loadBenchConfig(env: Record<string, string | undefined> = process.env): { postgresUrl: string; amqpUrl: string; redisUrl: string } {
  const parsed = parseConfig(
    'bench',
    z.object({
      TEST_POSTGRES_URL: z.url().default('postgres://postgres@127.0.0.1:5432/postgres'),
      TEST_AMQP_URL: z.url().default('amqp://guest:guest@127.0.0.1:5672'),
      TEST_REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
    }),
    env,
  );
  return { postgresUrl: parsed.TEST_POSTGRES_URL, amqpUrl: parsed.TEST_AMQP_URL, redisUrl: parsed.TEST_REDIS_URL };
}
