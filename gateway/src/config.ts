import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { developmentSecretFile } from '@cloudphone/identity';
import { ConfigError, type LogLevel, internalAuthSecret, logLevel, optionalUrl, otlpTracesUrl, otlpVariables, parseConfig, port, positiveInt, requireSecretInProduction, z } from '@cloudphone/config';

const DEFAULT_SUPERGRAPH = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));
/** The console's operations as Apollo Client sends them (`npm run schema:manifest` writes it; schema:check keeps it fresh). */
export const DEFAULT_OPERATION_MANIFEST = fileURLToPath(new URL('../../schema/operations/manifest.json', import.meta.url));

/**
 * Limits on every operation, over HTTP and WebSocket alike; the committed
 * client operations stay within them (schema:check). The cost admits the
 * frontend's nested query (users with a page of up to 100 devices and 100
 * orders each: about 52,000) and refuses a page nested in a page nested in a
 * page (millions). A `first` passed as a variable is not seen at validation
 * and counts as 1 there; it is checked against `maxFirst` once the variables
 * are known. The largest committed operation has about 150 tokens and no
 * directive; a page of 100 is the subgraphs' own page limit.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 12, maxCost: 100_000, maxAliases: 15, maxTokens: 2_000, maxDirectives: 20, maxFirst: 100, introspection: true };

const schema = z.object({
  GATEWAY_PORT: port(4000),
  /**
   * Gateway processes sharing the port (node:cluster): a number, or `auto` for one per CPU core.
   * More than one needs REDIS_URL, where the processes share revocations and rate limits.
   */
  GATEWAY_WORKERS: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(64)]).default(1),
  HOST: z.string().default('0.0.0.0'),
  SUPERGRAPH_PATH: z.string().default(DEFAULT_SUPERGRAPH),
  /** Development only: compose from live subgraphs by introspection instead of the committed supergraph. */
  GATEWAY_DEV_INTROSPECTION: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  SUBGRAPH_TIMEOUT_MS: positiveInt(5_000),
  SUBGRAPH_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  SUBGRAPH_BREAKER_THRESHOLD: positiveInt(5),
  SUBGRAPH_BREAKER_RESET_MS: positiveInt(5_000),
  /** Connections kept open to each subgraph (each carries one fetch at a time); more fetches at once wait for one. */
  SUBGRAPH_MAX_CONNECTIONS: positiveInt(128),
  /** How long an idle connection to a subgraph is kept for the next fetch. */
  SUBGRAPH_KEEP_ALIVE_MS: positiveInt(30_000),
  /** Whether identical reads of one caller in flight share one subgraph fetch (see inflight-fetches.ts). */
  SUBGRAPH_SHARE_INFLIGHT: z.enum(['true', 'false']).default('true'),
  /** Whether reads are answered from the subgraph cache while no change was announced since (see subgraph-cache.ts). */
  SUBGRAPH_CACHE: z.enum(['true', 'false']).default('false'),
  /** The longest a cached answer is served: the bound for data a subgraph changes without an event. */
  SUBGRAPH_CACHE_TTL_MS: z.coerce.number().int().min(1).max(3_600_000).default(60_000),
  /** Answers longer than this are not cached. */
  SUBGRAPH_CACHE_MAX_ANSWER_BYTES: positiveInt(262_144),
  /** The cache's part in this process's memory (all of it without REDIS_URL, a nearer copy of Redis's with it), bounded by this much text. */
  SUBGRAPH_CACHE_MEMORY_BYTES: positiveInt(67_108_864),
  MAX_BODY_BYTES: positiveInt(1_000_000),
  /** The query plan store's bound, in MiB of plans (approximate, as Apollo's own store: 30 by default). */
  QUERY_PLAN_CACHE_MIB: z.coerce.number().int().min(1).max(4_096).default(30),
  /**
   * The persisted query manifest (Apollo's format) whose operations are planned at every schema load and whose
   * hashes APQ answers without a registration; empty: none.
   */
  OPERATION_MANIFEST_PATH: z.string().default(DEFAULT_OPERATION_MANIFEST),
  /** Whether the manifest's operations are planned at every schema load (the first request of each is then a plan-store hit). */
  QUERY_PLAN_WARMUP: z.enum(['true', 'false']).default('true'),
  /** RabbitMQ, where device status changes come from; in process without it (embedded mode). */
  AMQP_URL: optionalUrl,
  EVENTS_NAMESPACE: z.string().default('cloudphone'),
  QUERY_MAX_DEPTH: positiveInt(DEFAULT_QUERY_LIMITS.maxDepth),
  QUERY_MAX_COST: positiveInt(DEFAULT_QUERY_LIMITS.maxCost),
  QUERY_MAX_ALIASES: positiveInt(DEFAULT_QUERY_LIMITS.maxAliases),
  QUERY_MAX_TOKENS: positiveInt(DEFAULT_QUERY_LIMITS.maxTokens),
  QUERY_MAX_DIRECTIVES: positiveInt(DEFAULT_QUERY_LIMITS.maxDirectives),
  /** The largest `first`/`last` a client may ask for; above the subgraphs' own page limit, it would be refused by them anyway. */
  QUERY_MAX_FIRST: positiveInt(DEFAULT_QUERY_LIMITS.maxFirst),
  /** Signs the identity passed to subgraphs; shared with them, required in production. */
  INTERNAL_AUTH_SECRET: internalAuthSecret,
  /** Where the embedded stack keeps its databases: the development secret lives beside them. */
  DATA_DIR: z.string().default('.data/pglite'),
  /** The users subgraph's public keys; default: `/.well-known/jwks.json` beside its routing URL. */
  AUTH_JWKS_URL: optionalUrl,
  AUTH_ISSUER: z.string().min(1).default('cloudphone-users'),
  AUTH_AUDIENCE: z.string().min(1).default('cloudphone'),
  /** How long a verified (or refused) API key is reused before the users subgraph is asked again: a revocation's delay. */
  API_KEY_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  NODE_ENV: z.string().optional(),
  /** Shared by every replica: token revocations and rate limits; required in production, in process otherwise. */
  REDIS_URL: optionalUrl,
  /** How long requests keep being served while revocations cannot be followed (Redis down), before they are refused. */
  REVOCATION_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  /** Requests per window for a user or an API key, across every replica. */
  RATE_LIMIT_POINTS: positiveInt(600),
  /** Requests per window from one address without a credential (sign-in included). */
  RATE_LIMIT_ANONYMOUS_POINTS: positiveInt(120),
  RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),
  LOG_LEVEL: logLevel,
  /**
   * Which proxies in front may name the client in `x-forwarded-for` (Express's `trust proxy`): `false` (default: the
   * connection's address is the client's), a number of hops, or addresses and subnets (`loopback`, `10.0.0.0/8`, ...).
   * Anonymous rate limits count per client address, so behind a proxy they need it.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value): boolean | number | string => (value === 'false' || value === '' ? false : /^\d+$/.test(value) ? Number(value) : value))
    .refine((value) => value !== 'true', { message: 'name the proxies (addresses, subnets or a hop count): true would believe any client' }),
  /** When set, `/metrics` answers only `Authorization: Bearer <METRICS_TOKEN>` (Prometheus's bearer auth): for a gateway the public can reach. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Where the gateway's spans go (OTLP/HTTP); no tracing without them. */
  ...otlpVariables,
});

const SUBGRAPH_URL_VARIABLE = /^([A-Z][A-Z0-9]*)_SUBGRAPH_URL$/;

export interface QueryLimits {
  /** Deepest field nesting (fragments flattened: a fragment adds no level). */
  maxDepth: number;
  /** graphql-armor's cost: objects 2, scalars 1, times 1.5 per level, times a literal `first`. */
  maxCost: number;
  /** Aliased fields per operation (`__typename` excepted). */
  maxAliases: number;
  /** Lexical tokens per document, counted while parsing: parsing stops past it. */
  maxTokens: number;
  /** Directives per operation (fragments included). */
  maxDirectives: number;
  /** Largest `first`/`last` field argument, literal or variable. */
  maxFirst: number;
  /** Whether operations may query the schema (`__schema`, `__type`): not in production. */
  introspection: boolean;
}

export interface GatewayConfig {
  port: number;
  host: string;
  supergraphPath: string;
  devIntrospection: boolean;
  /** Processes serving the port (1: this one alone). */
  workers: number;
  /** Routing URL overrides by subgraph name (`USERS_SUBGRAPH_URL` -> users). */
  subgraphUrls: Record<string, string>;
  subgraphCalls: { timeoutMs: number; retries: number; breakerThreshold: number; breakerResetMs: number };
  /** The connection pool to the subgraphs. */
  subgraphConnections: { perSubgraph: number; keepAliveMs: number };
  /** Identical reads of one caller in flight share one fetch. */
  shareInflightFetches: boolean;
  /** The subgraph cache: off, or its bounds (in Redis with REDIS_URL, else in memory). */
  subgraphCache: { enabled: boolean; ttlMs: number; maxAnswerBytes: number; memoryBytes: number };
  maxBodyBytes: number;
  /** The query plan store: its bound, and whether the manifest's operations are planned at every schema load. */
  queryPlans: { cacheMiB: number; warmup: boolean };
  /** OPERATION_MANIFEST_PATH; undefined: no manifest (nothing warmed, APQ knows only what clients register). */
  operationManifestPath: string | undefined;
  events: { amqpUrl: string | undefined; namespace: string };
  queryLimits: QueryLimits;
  auth: {
    /** INTERNAL_AUTH_SECRET; undefined outside production means the development secret file. */
    internalSecret: string | undefined;
    developmentSecretFile: string;
    jwksUrl: string | undefined;
    issuer: string;
    audience: string;
    /** API_KEY_CACHE_MS: how long an API key's verification is reused (0: never). */
    apiKeyCacheMs: number;
  };
  production: boolean;
  /** REDIS_URL; undefined: revocations and rate limits are this process's own (one gateway). */
  redisUrl: string | undefined;
  revocationGraceMs: number;
  rateLimit: { points: number; anonymousPoints: number; windowSeconds: number };
  /** LOG_LEVEL of the gateway's JSON lines (default info: none per request). */
  logLevel: LogLevel;
  /** Where the gateway sends its spans (OTLP/HTTP); undefined: no tracing, and no trace context to the subgraphs. */
  tracesUrl: string | undefined;
  /** The bearer token `/metrics` requires; undefined: open (the edge must not route it). */
  metricsToken: string | undefined;
  /** Express's `trust proxy`: who may name the client in `x-forwarded-for` (false: nobody). */
  trustProxy: boolean | number | string;
}

/** The gateway's only reader of the environment; fails at boot on a bad value. */
export function loadGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const parsed = parseConfig('gateway', schema, env);
  const production = parsed.NODE_ENV === 'production';
  requireSecretInProduction('gateway', production, parsed.INTERNAL_AUTH_SECRET);
  if (production && parsed.REDIS_URL === undefined) throw new ConfigError('gateway', ['REDIS_URL: required in production (replicas share revocations and rate limits through it)']);
  const workers = parsed.GATEWAY_WORKERS === 'auto' ? availableParallelism() : parsed.GATEWAY_WORKERS;
  if (workers > 1 && parsed.REDIS_URL === undefined) throw new ConfigError('gateway', ['GATEWAY_WORKERS: more than one process needs REDIS_URL (they share revocations and rate limits through it)']);
  const subgraphUrls: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = SUBGRAPH_URL_VARIABLE.exec(name);
    if (!match?.[1] || value === undefined || value === '') continue;
    subgraphUrls[match[1].toLowerCase()] = parseConfig('gateway', z.object({ [name]: z.url() }), { [name]: value })[name] as string;
  }
  return {
    port: parsed.GATEWAY_PORT,
    host: parsed.HOST,
    workers,
    supergraphPath: parsed.SUPERGRAPH_PATH,
    devIntrospection: parsed.GATEWAY_DEV_INTROSPECTION,
    subgraphUrls,
    subgraphCalls: {
      timeoutMs: parsed.SUBGRAPH_TIMEOUT_MS,
      retries: parsed.SUBGRAPH_RETRIES,
      breakerThreshold: parsed.SUBGRAPH_BREAKER_THRESHOLD,
      breakerResetMs: parsed.SUBGRAPH_BREAKER_RESET_MS,
    },
    subgraphConnections: { perSubgraph: parsed.SUBGRAPH_MAX_CONNECTIONS, keepAliveMs: parsed.SUBGRAPH_KEEP_ALIVE_MS },
    shareInflightFetches: parsed.SUBGRAPH_SHARE_INFLIGHT === 'true',
    subgraphCache: {
      enabled: parsed.SUBGRAPH_CACHE === 'true',
      ttlMs: parsed.SUBGRAPH_CACHE_TTL_MS,
      maxAnswerBytes: parsed.SUBGRAPH_CACHE_MAX_ANSWER_BYTES,
      memoryBytes: parsed.SUBGRAPH_CACHE_MEMORY_BYTES,
    },
    maxBodyBytes: parsed.MAX_BODY_BYTES,
    queryPlans: { cacheMiB: parsed.QUERY_PLAN_CACHE_MIB, warmup: parsed.QUERY_PLAN_WARMUP === 'true' },
    operationManifestPath: parsed.OPERATION_MANIFEST_PATH === '' ? undefined : parsed.OPERATION_MANIFEST_PATH,
    events: { amqpUrl: parsed.AMQP_URL, namespace: parsed.EVENTS_NAMESPACE },
    queryLimits: {
      maxDepth: parsed.QUERY_MAX_DEPTH,
      maxCost: parsed.QUERY_MAX_COST,
      maxAliases: parsed.QUERY_MAX_ALIASES,
      maxTokens: parsed.QUERY_MAX_TOKENS,
      maxDirectives: parsed.QUERY_MAX_DIRECTIVES,
      maxFirst: parsed.QUERY_MAX_FIRST,
      introspection: !production,
    },
    auth: {
      internalSecret: parsed.INTERNAL_AUTH_SECRET,
      developmentSecretFile: developmentSecretFile(parsed.DATA_DIR),
      jwksUrl: parsed.AUTH_JWKS_URL,
      issuer: parsed.AUTH_ISSUER,
      audience: parsed.AUTH_AUDIENCE,
      apiKeyCacheMs: parsed.API_KEY_CACHE_MS,
    },
    production,
    redisUrl: parsed.REDIS_URL,
    revocationGraceMs: parsed.REVOCATION_GRACE_MS,
    rateLimit: { points: parsed.RATE_LIMIT_POINTS, anonymousPoints: parsed.RATE_LIMIT_ANONYMOUS_POINTS, windowSeconds: parsed.RATE_LIMIT_WINDOW_SECONDS },
    logLevel: parsed.LOG_LEVEL,
    tracesUrl: otlpTracesUrl(parsed),
    metricsToken: parsed.METRICS_TOKEN,
    trustProxy: parsed.TRUST_PROXY,
  };
}
