import { z } from 'zod';

export { z };

export class ConfigError extends Error {
  constructor(readonly app: string, readonly problems: string[]) {
    super(`Invalid configuration for ${app}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates an environment against an app's schema at boot. Each app has one
 * typed reader built on this; nothing else reads `process.env`.
 */
export function parseConfig<TSchema extends z.ZodType>(app: string, schema: TSchema, env: Record<string, string | undefined>): z.infer<TSchema> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      app,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}

/** An optional URL variable: empty strings count as unset. */
export const optionalUrl = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()))
  .pipe(z.url().optional());

/**
 * EVENTS_NAMESPACE: the prefix of a deployment's (or a test stack's) exchanges,
 * queues, Redis keys and channels; letters, digits and dashes. Empty counts as unset.
 */
export const eventsNamespace = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? 'cloudphone' : value.trim()))
  .pipe(z.string().regex(/^[A-Za-z0-9-]+$/, 'letters, digits and dashes only'));

/** The levels of the JSON logs, most severe first; `silent` writes nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** LOG_LEVEL: how much an app logs (`info` by default: no line per request). */
export const logLevel = z.enum(LOG_LEVELS).default('info');

/**
 * Where spans go, as OpenTelemetry names it: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
 * is the OTLP/HTTP traces URL itself, OTEL_EXPORTER_OTLP_ENDPOINT the
 * collector's base URL (`/v1/traces` is added). Neither: no tracing.
 */
export const otlpVariables = { OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl };

export interface OtlpVariables {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string | undefined;
}

/** The traces URL of the validated `otlpVariables`; undefined: tracing off. */
export function otlpTracesUrl(parsed: OtlpVariables): string | undefined {
  if (parsed.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined) return parsed.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (parsed.OTEL_EXPORTER_OTLP_ENDPOINT === undefined) return undefined;
  return `${parsed.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
}

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** What every subgraph process reads of its environment. */
export interface SubgraphProcessSettings {
  /** `<SUBGRAPH>_DATABASE_URL`: PostgreSQL; unset means embedded PGlite under `dataDir`. */
  databaseUrl: string | undefined;
  /** `DATA_DIR`: root folder of embedded databases. */
  dataDir: string;
  /** `<SUBGRAPH>_PORT`. */
  port: number;
  /** `HOST`. */
  host: string;
  /** `AMQP_URL`: RabbitMQ; unset in a single-process embedded setup, where events travel in process. */
  amqpUrl: string | undefined;
  /**
   * `REDIS_URL`: state every replica shares (token revocations, the system
   * configuration cache); unset in a single-process embedded setup, where
   * each process keeps its own copy and changes are announced in process.
   */
  redisUrl: string | undefined;
  /**
   * `EVENTS_NAMESPACE` (default `cloudphone`): the exchange and queue prefix of
   * the events, and the prefix of revocations and the shared cache in Redis.
   * Every process of one deployment (or test stack) uses the same one.
   */
  eventsNamespace: string;
  /** `<PEER>_SUBGRAPH_URL` of each subgraph this one calls, defaulting to its local address. */
  peers: Record<string, string>;
  /**
   * `INTERNAL_AUTH_SECRET`: the secret the gateway and the subgraphs sign and
   * verify identities with; required in production, otherwise a development
   * secret is kept beside the embedded databases.
   */
  internalAuthSecret: string | undefined;
  /** `NODE_ENV=production`. */
  production: boolean;
  /** `LOG_LEVEL` (default `info`). */
  logLevel: LogLevel;
  /** Where spans go (`otlpVariables`); undefined: no tracing. */
  tracesUrl: string | undefined;
}

/** INTERNAL_AUTH_SECRET: at least 32 bytes; empty counts as unset. */
export const internalAuthSecret = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()))
  .refine((value) => value === undefined || Buffer.byteLength(value) >= 32, 'must be at least 32 bytes (e.g. `openssl rand -base64 48`)');

/** Refuses to boot in production without the internal secret (a generated one would differ per replica). */
export function requireSecretInProduction(app: string, production: boolean, secret: string | undefined): void {
  if (production && secret === undefined) throw new ConfigError(app, ['INTERNAL_AUTH_SECRET: required in production (the gateway and every subgraph must share it)']);
}

/** The variable a subgraph process reads a peer's URL from. */
const peerVariable = (peer: string): string => `${peer.toUpperCase()}_SUBGRAPH_URL`;

/**
 * Reads the settings shared by every subgraph process, and the URLs of the
 * peers it calls (`peers`: name -> local default URL); fails on a bad value.
 */
export function readSubgraphProcessSettings(
  subgraph: string,
  defaultPort: number,
  peers: Record<string, string>,
  env: Record<string, string | undefined>,
): SubgraphProcessSettings {
  const name = subgraph.toUpperCase();
  const schema = z.object({
    [`${name}_DATABASE_URL`]: optionalUrl,
    DATA_DIR: z.string().default('.data/pglite'),
    [`${name}_PORT`]: port(defaultPort),
    HOST: z.string().default('0.0.0.0'),
    AMQP_URL: optionalUrl,
    REDIS_URL: optionalUrl,
    EVENTS_NAMESPACE: eventsNamespace,
    INTERNAL_AUTH_SECRET: internalAuthSecret,
    NODE_ENV: z.string().optional(),
    LOG_LEVEL: logLevel,
    ...otlpVariables,
    ...Object.fromEntries(Object.entries(peers).map(([peer, fallback]) => [peerVariable(peer), optionalUrl.transform((value) => value ?? fallback)])),
  });
  const parsed = parseConfig(`${subgraph} subgraph`, schema, env) as Record<string, unknown>;
  const production = parsed['NODE_ENV'] === 'production';
  const secret = parsed['INTERNAL_AUTH_SECRET'] as string | undefined;
  requireSecretInProduction(`${subgraph} subgraph`, production, secret);
  return {
    databaseUrl: parsed[`${name}_DATABASE_URL`] as string | undefined,
    dataDir: parsed['DATA_DIR'] as string,
    port: parsed[`${name}_PORT`] as number,
    host: parsed['HOST'] as string,
    amqpUrl: parsed['AMQP_URL'] as string | undefined,
    redisUrl: parsed['REDIS_URL'] as string | undefined,
    eventsNamespace: parsed['EVENTS_NAMESPACE'] as string,
    peers: Object.fromEntries(Object.keys(peers).map((peer) => [peer, parsed[peerVariable(peer)] as string])),
    internalAuthSecret: secret,
    production,
    logLevel: parsed['LOG_LEVEL'] as LogLevel,
    tracesUrl: otlpTracesUrl(parsed as OtlpVariables),
  };
}

/**
 * The environment that `readSubgraphProcessSettings` reads back as `settings`:
 * what a launcher gives a subgraph process it starts. Unset values are left
 * out (`dataDir` too: the process's default applies); `production` is the
 * launcher's own NODE_ENV choice, not written here.
 */
export function subgraphProcessEnv(subgraph: string, settings: Omit<SubgraphProcessSettings, 'production' | 'dataDir'> & { dataDir?: string | undefined }): Record<string, string> {
  const name = subgraph.toUpperCase();
  const entries: [string, string | undefined][] = [
    [`${name}_DATABASE_URL`, settings.databaseUrl],
    ['DATA_DIR', settings.dataDir],
    [`${name}_PORT`, String(settings.port)],
    ['HOST', settings.host],
    ['AMQP_URL', settings.amqpUrl],
    ['REDIS_URL', settings.redisUrl],
    ['EVENTS_NAMESPACE', settings.eventsNamespace],
    ['INTERNAL_AUTH_SECRET', settings.internalAuthSecret],
    ['LOG_LEVEL', settings.logLevel],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', settings.tracesUrl],
    ...Object.entries(settings.peers).map(([peer, url]): [string, string] => [peerVariable(peer), url]),
  ];
  return Object.fromEntries(entries.filter((entry): entry is [string, string] => entry[1] !== undefined));
}
