import { fileURLToPath } from 'node:url';
import { optionalUrl, parseConfig, port, positiveInt, z } from '@cloudphone/config';

const DEFAULT_SUPERGRAPH = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));

/**
 * Limits on every operation, over HTTP and WebSocket alike; the committed
 * client operations stay within them (schema:check). The cost admits the
 * frontend's nested query (users with a page of up to 100 devices and 100
 * orders each: about 52,000) and refuses a page nested in a page nested in a
 * page (millions). A `first` passed as a variable is not seen at validation
 * and counts as 1.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 12, maxCost: 100_000, maxAliases: 15 };

const schema = z.object({
  GATEWAY_PORT: port(4000),
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
  MAX_BODY_BYTES: positiveInt(1_000_000),
  /** RabbitMQ, where device status changes come from; in process without it (embedded mode). */
  AMQP_URL: optionalUrl,
  EVENTS_NAMESPACE: z.string().default('cloudphone'),
  QUERY_MAX_DEPTH: positiveInt(DEFAULT_QUERY_LIMITS.maxDepth),
  QUERY_MAX_COST: positiveInt(DEFAULT_QUERY_LIMITS.maxCost),
  QUERY_MAX_ALIASES: positiveInt(DEFAULT_QUERY_LIMITS.maxAliases),
});

const SUBGRAPH_URL_VARIABLE = /^([A-Z][A-Z0-9]*)_SUBGRAPH_URL$/;

export interface QueryLimits {
  /** Deepest field nesting (fragments flattened: a fragment adds no level). */
  maxDepth: number;
  /** graphql-armor's cost: objects 2, scalars 1, times 1.5 per level, times a literal `first`. */
  maxCost: number;
  /** Aliased fields per operation (`__typename` excepted). */
  maxAliases: number;
}

export interface GatewayConfig {
  port: number;
  host: string;
  supergraphPath: string;
  devIntrospection: boolean;
  /** Routing URL overrides by subgraph name (`USERS_SUBGRAPH_URL` -> users). */
  subgraphUrls: Record<string, string>;
  subgraphCalls: { timeoutMs: number; retries: number; breakerThreshold: number; breakerResetMs: number };
  maxBodyBytes: number;
  events: { amqpUrl: string | undefined; namespace: string };
  queryLimits: QueryLimits;
}

/** The gateway's only reader of the environment; fails at boot on a bad value. */
export function loadGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const parsed = parseConfig('gateway', schema, env);
  const subgraphUrls: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = SUBGRAPH_URL_VARIABLE.exec(name);
    if (!match?.[1] || value === undefined || value === '') continue;
    subgraphUrls[match[1].toLowerCase()] = parseConfig('gateway', z.object({ [name]: z.url() }), { [name]: value })[name] as string;
  }
  return {
    port: parsed.GATEWAY_PORT,
    host: parsed.HOST,
    supergraphPath: parsed.SUPERGRAPH_PATH,
    devIntrospection: parsed.GATEWAY_DEV_INTROSPECTION,
    subgraphUrls,
    subgraphCalls: {
      timeoutMs: parsed.SUBGRAPH_TIMEOUT_MS,
      retries: parsed.SUBGRAPH_RETRIES,
      breakerThreshold: parsed.SUBGRAPH_BREAKER_THRESHOLD,
      breakerResetMs: parsed.SUBGRAPH_BREAKER_RESET_MS,
    },
    maxBodyBytes: parsed.MAX_BODY_BYTES,
    events: { amqpUrl: parsed.AMQP_URL, namespace: parsed.EVENTS_NAMESPACE },
    queryLimits: { maxDepth: parsed.QUERY_MAX_DEPTH, maxCost: parsed.QUERY_MAX_COST, maxAliases: parsed.QUERY_MAX_ALIASES },
  };
}
