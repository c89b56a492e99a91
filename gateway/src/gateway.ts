import { timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, IntrospectAndCompose } from '@apollo/gateway';
import type { QueryPlannerConfig } from '@apollo/query-planner';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { AppError, REQUEST_ID_HEADER, createErrorFormatter, requestIdFrom, requestIdPlugin } from '@cloudphone/errors';
import { type Logger, ServiceMetrics, createLogger, metricsPlugin, startTracing, unexpectedErrorLog } from '@cloudphone/observability';
import { AccessTokenVerifier, IdentityAssertions, resolveInternalSecret } from '@cloudphone/identity';
import { RevocationList, createRevocationChannel } from '@cloudphone/revocation';
import { Redis } from 'ioredis';
import { ServiceGuard } from '@cloudphone/resilience';
import express from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { createTransport } from '@cloudphone/events';
import { createDataChangeChannel } from '@cloudphone/data-changes';
import { RemoteApiKeyVerifier } from './auth/api-key-verifier.js';
import { Authenticator, credentialFromHeaders } from './auth/authenticator.js';
import { IdentitySigner } from './auth/identity-signer.js';
import { type ConnectionAuthorizer, tokenAuthorizer } from './subscriptions/connection-authorizer.js';
import { type SubscriptionStats, startSubscriptionServer } from './subscriptions/subscription-server.js';
import type { GatewayConfig } from './config.js';
import type { GatewayContext } from './context.js';
import { bodyErrors } from './limits/body-errors.js';
import { RequestRateLimiter } from './limits/rate-limit.js';
import { pageSizePlugin } from './limits/page-size-plugin.js';
import { tokenLimitMiddleware } from './limits/token-limit-middleware.js';
import { queryLimitRules } from './query-limits.js';
import { ResilientDataSource } from './resilient-data-source.js';
import { InflightFetches } from './inflight-fetches.js';
import { type Fetcher, createSubgraphFetcher } from './subgraph-fetcher.js';
import { MemoryAnswerStore, RedisAnswerStore, TieredAnswerStore } from './answer-store.js';
import { SubgraphCache } from './subgraph-cache.js';
import { ManifestPersistedQueries, PERSISTED_QUERY_TTL_SECONDS, RedisPersistedQueries } from './persisted-queries.js';
import { type ManifestOperation, loadOperationManifest } from './operation-manifest.js';
import { QueryPlanStore } from './query-plan-store.js';
import { NOTHING_WARMED, QueryPlanWarmer, type WarmupReport } from './query-plan-warmup.js';
import { SupergraphFile } from './supergraph-file.js';
import { subgraphsOf } from './supergraph.js';

export interface GatewayHandle {
  url: string;
  server: http.Server;
  /**
   * Reads the supergraph file again and serves it if it changed: HTTP
   * operations plan on the new schema, open subscriptions end with
   * SUPERGRAPH_RELOADED and new ones validate against the new API schema.
   * Resolves whether the file had changed; rejects, changing nothing, when
   * it does not build a supergraph.
   */
  reload(): Promise<boolean>;
  /** Counters of the subscription side (connections, subscriptions, feed readers and buffers). */
  stats(): SubscriptionStats;
  /** The query plan warm-up of the latest schema load, once it finished (nothing planned when it is off). */
  queryPlanWarmup(): Promise<WarmupReport>;
  /** The gateway's JSON lines, at its LOG_LEVEL. */
  logger: Logger;
  close(): Promise<void>;
}

export interface ComposedGateway {
  gateway: ApolloGateway;
  /** Serves the supergraph file anew if it changed (static composition only). */
  reload(): Promise<boolean>;
}

/**
 * Composes statically from the committed supergraph (introspection only behind
 * the development flag), with one guard per subgraph shared by all requests;
 * a failed fetch is counted in `metrics`.
 */
export async function createGateway(
  config: GatewayConfig,
  signer: IdentitySigner,
  metrics: ServiceMetrics,
  fetchOnce: Fetcher,
  inflight: InflightFetches,
  traced: boolean,
  cache?: { cache: SubgraphCache; subgraphs: readonly string[] },
  queryPlannerConfig: QueryPlannerConfig = {},
): Promise<ComposedGateway> {
  const guards = new Map<string, ServiceGuard>();
  const guardOf = (name: string): ServiceGuard => {
    let guard = guards.get(name);
    if (!guard) {
      guard = new ServiceGuard(name, config.subgraphCalls);
      guards.set(name, guard);
    }
    return guard;
  };
  const buildService = ({ name, url }: { name: string; url?: string }) => {
    const target = config.subgraphUrls[name] ?? url;
    if (target === undefined) throw new Error(`no URL for subgraph ${name}`);
    return new ResilientDataSource(target, guardOf(name), signer, fetchOnce, inflight, () => metrics.recordSubgraphFetchError(name), traced, cache?.cache, cache?.subgraphs);
  };
  if (config.devIntrospection) {
    const subgraphs = subgraphsOf(await readFile(config.supergraphPath, 'utf8')).map(({ name, url }) => ({ name, url: config.subgraphUrls[name] ?? url }));
    return {
      gateway: new ApolloGateway({ supergraphSdl: new IntrospectAndCompose({ subgraphs }), buildService, queryPlannerConfig }),
      reload: () => Promise.reject(new Error('reload serves the supergraph file; this gateway composes by introspection (GATEWAY_DEV_INTROSPECTION)')),
    };
  }
  const file = new SupergraphFile(config.supergraphPath);
  return { gateway: new ApolloGateway({ supergraphSdl: file.hook, buildService, queryPlannerConfig }), reload: () => file.reload() };
}

/** What the code embedding the gateway plugs in, beside its configuration. */
export interface GatewayHooks {
  /** Decides each WebSocket connection at `connection_init`; default: the access token or API key in its payload, verified as over HTTP. */
  connectionAuthorizer?: ConnectionAuthorizer;
}

/** The users subgraph's URL: USERS_SUBGRAPH_URL, else its routing URL in the supergraph. */
async function usersUrlOf(config: GatewayConfig): Promise<string | undefined> {
  return config.subgraphUrls['users'] ?? subgraphsOf(await readFile(config.supergraphPath, 'utf8')).find((subgraph) => subgraph.name === 'users')?.url;
}

/** Where the users subgraph publishes its keys: AUTH_JWKS_URL, else beside its routing URL. */
function jwksUrlOf(config: GatewayConfig, usersUrl: string | undefined): string {
  if (config.auth.jwksUrl) return config.auth.jwksUrl;
  if (!usersUrl) throw new Error('no users subgraph to take the JWKS from: set AUTH_JWKS_URL');
  return new URL('/.well-known/jwks.json', usersUrl).toString();
}

/**
 * Access tokens verified against the users JWKS and the revocation list; API
 * keys by asking the users subgraph, as the gateway's own service identity.
 */
async function createAuthenticator(config: GatewayConfig, signer: IdentitySigner, revocations: RevocationList): Promise<Authenticator> {
  const usersUrl = await usersUrlOf(config);
  if (!usersUrl) throw new Error('no users subgraph to verify API keys with: set USERS_SUBGRAPH_URL');
  const accessTokens = new AccessTokenVerifier({ jwksUrl: jwksUrlOf(config, usersUrl) }, { issuer: config.auth.issuer, audience: config.auth.audience });
  const apiKeys = new RemoteApiKeyVerifier({ url: usersUrl, guard: new ServiceGuard('users', config.subgraphCalls), serviceIdentity: () => signer.assertionFor(undefined), cacheMs: config.auth.apiKeyCacheMs });
  return new Authenticator(accessTokens, revocations, apiKeys);
}

const REFUSAL_STATUS: Partial<Record<AppError['code'], number>> = { UNAUTHENTICATED: 401, RATE_LIMITED: 429, SERVICE_UNAVAILABLE: 503 };

/**
 * A request refused before execution (credential, revocation, rate limit),
 * with its HTTP status and the coded error. Apollo's plugins never see a
 * request whose context failed, so the request id is put on the error here.
 */
function refusedBeforeExecution(error: AppError, requestId: string): GraphQLError {
  const retryAfter = error.details['retryAfter'];
  const headers = new Map([[REQUEST_ID_HEADER, requestId]]);
  if (typeof retryAfter === 'number') headers.set('retry-after', String(retryAfter));
  const stamped = new AppError(error.code, error.userMessage, {
    details: { ...error.details, requestId },
    retryable: error.retryable,
    internalMessage: error.internalMessage,
    ...(error.service === undefined ? {} : { service: error.service }),
  });
  return new GraphQLError(error.userMessage, { originalError: stamped, extensions: { code: error.code, http: { status: REFUSAL_STATUS[error.code] ?? 400, headers } } });
}

/** Whether a scrape may read `/metrics`: always without a token configured, else only with it (compared in constant time). */
export function metricsAuthorized(token: string | undefined, authorization: string | undefined): boolean {
  if (token === undefined) return true;
  const expected = Buffer.from(`Bearer ${token}`);
  const given = Buffer.from(authorization ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The subgraph cache over every subgraph of the supergraph: in Redis, shared
 * by every gateway, with REDIS_URL; in this process's memory otherwise.
 */
async function startSubgraphCache(config: GatewayConfig, redis: Redis | undefined, metrics: ServiceMetrics, logger: Logger): Promise<{ cache: SubgraphCache; subgraphs: readonly string[] }> {
  const subgraphs = subgraphsOf(await readFile(config.supergraphPath, 'utf8')).map((subgraph) => subgraph.name);
  const onError = (error: Error) => logger.warn(`subgraph cache: ${error.message}`);
  const channel = createDataChangeChannel({ redisUrl: config.redisUrl, namespace: config.events.namespace, onError });
  // Answers read again soon are found in this process; with Redis, other replicas' answers too.
  const memory = new MemoryAnswerStore(config.subgraphCache.memoryBytes);
  const store = redis ? new TieredAnswerStore(memory, new RedisAnswerStore(redis)) : memory;
  const cache = new SubgraphCache(store, channel, {
    ttlMs: config.subgraphCache.ttlMs,
    maxAnswerLength: config.subgraphCache.maxAnswerBytes,
    namespace: config.events.namespace,
    observe: (subgraph, outcome) => metrics.recordSubgraphCache(subgraph, outcome),
    onError,
  });
  await cache.start(subgraphs);
  return { cache, subgraphs };
}

export async function startGateway(config: GatewayConfig, hooks: GatewayHooks = {}): Promise<GatewayHandle> {
  const logger = createLogger({ service: 'gateway', level: config.logLevel });
  // Apollo's gateway spans (gateway.request, gateway.plan, gateway.fetch...) go out once a provider is registered.
  const tracing = await startTracing('gateway', config.tracesUrl);
  const metrics = new ServiceMetrics('gateway');
  const assertions = new IdentityAssertions(await resolveInternalSecret({ secret: config.auth.internalSecret, developmentFile: config.auth.developmentSecretFile }));
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : undefined;
  redis?.on('error', (error: Error) => logger.warn(`redis: ${error.message}`));
  const revocationChannel = createRevocationChannel({ redisUrl: config.redisUrl, namespace: config.events.namespace, onError: (error) => logger.warn(`revocations: ${error.message}`) });
  const revocations = new RevocationList(revocationChannel, config.revocationGraceMs);
  await revocations.start();
  const signer = new IdentitySigner(assertions);
  const authenticator = await createAuthenticator(config, signer, revocations);
  const rateLimiter = new RequestRateLimiter(config.rateLimit, redis ? { client: redis, namespace: config.events.namespace } : undefined);
  const subgraphFetcher = createSubgraphFetcher({ connectionsPerOrigin: config.subgraphConnections.perSubgraph, keepAliveMs: config.subgraphConnections.keepAliveMs });
  const inflight = new InflightFetches(config.shareInflightFetches);
  const subgraphCache = config.subgraphCache.enabled ? await startSubgraphCache(config, redis, metrics, logger) : undefined;
  const manifest: ManifestOperation[] = config.operationManifestPath === undefined ? [] : await loadOperationManifest(config.operationManifestPath);
  // Our own plan store, so it is sized by config and counts hits; the warm-up plans with this same config.
  const planStore = new QueryPlanStore(config.queryPlans.cacheMiB, (outcome) => metrics.recordQueryPlanCache(outcome));
  const queryPlannerConfig: QueryPlannerConfig = { cache: planStore };
  const { gateway, reload } = await createGateway(config, signer, metrics, subgraphFetcher.fetch, inflight, tracing !== undefined, subgraphCache, queryPlannerConfig);
  const warmer = config.queryPlans.warmup ? new QueryPlanWarmer({ store: planStore, operations: manifest, plannerConfig: queryPlannerConfig, log: logger }) : undefined;
  // Registered before the first load: the gateway clears its store on every load, then calls this.
  if (warmer) gateway.onSchemaLoadOrUpdate(warmer.onSchemaLoad);
  let apiSchema: GraphQLSchema | undefined;
  // Every load after the subscription server started is a reload, which it follows.
  let followSchema: ((schema: GraphQLSchema) => void) | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: loaded }) => {
    apiSchema = loaded;
    followSchema?.(loaded);
  });
  const app = express();
  const httpServer = http.createServer(app);
  const formatError = createErrorFormatter('gateway', unexpectedErrorLog(logger));
  const server = new ApolloServer<GatewayContext>({
    gateway,
    formatError,
    validationRules: queryLimitRules(config.queryLimits),
    // Production: no introspection, and no "Did you mean" suggestions that would spell the schema out.
    introspection: config.queryLimits.introspection,
    hideSchemaDetailsFromClientErrors: config.production,
    // Automatic persisted queries: shared by every replica and worker through Redis, else this process's own.
    // The manifest's hashes are known from the start, in front of either store.
    persistedQueries: {
      cache: new ManifestPersistedQueries(
        manifest,
        redis ? new RedisPersistedQueries(redis, `${config.events.namespace}:apq:`, (error) => logger.warn(`persisted queries: ${error.message}`)) : new InMemoryLRUCache<string>(),
      ),
      ttl: PERSISTED_QUERY_TTL_SECONDS,
    },
    // One operation per request (Apollo's default, stated): an array body is answered 400 BAD_USER_INPUT, and nothing runs.
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    // Whoever starts the gateway owns shutdown (it also stops the subgraphs in embedded mode).
    stopOnTerminationSignals: false,
    plugins: [requestIdPlugin<GatewayContext>(), pageSizePlugin<GatewayContext>(config.queryLimits), metricsPlugin<GatewayContext>(metrics), ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();
  // The first requests find the manifest's plans: the port opens once the first load's warm-up is done.
  await warmer?.settled();
  app.disable('x-powered-by');
  // Rate limits count anonymous callers by address: behind trusted proxies, the one they name.
  app.set('trust proxy', config.trustProxy);
  app.get('/health', (_request, response) => {
    response.json({ status: 'ok' });
  });
  // For the scraper: with METRICS_TOKEN only with its bearer token, else open (the edge in front should not route it).
  app.get('/metrics', async (request, response) => {
    if (!metricsAuthorized(config.metricsToken, request.headers.authorization)) {
      response.status(401).set('www-authenticate', 'Bearer').json({ error: 'METRICS_TOKEN bearer token required' });
      return;
    }
    response.type(metrics.contentType).send(await metrics.render());
  });
  // Refused before Apollo sees the request: counted here.
  const refused = (code: string) => metrics.recordRefusal(code);
  app.use(
    '/graphql',
    express.json({ limit: config.maxBodyBytes }),
    bodyErrors(config.maxBodyBytes, refused),
    tokenLimitMiddleware(config.queryLimits, formatError, refused),
    expressMiddleware(server, {
      context: async ({ req }): Promise<GatewayContext> => {
        const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
        try {
          const caller = await authenticator.authenticate(credentialFromHeaders(req.headers), requestId);
          await rateLimiter.consume(caller, req.ip);
          return { requestId, principal: caller.principal };
        } catch (error) {
          if (error instanceof AppError) throw refusedBeforeExecution(error, requestId);
          throw error;
        }
      },
    }),
  );
  if (!apiSchema) throw new Error('the gateway started without a schema');
  const transport = createTransport({ amqpUrl: config.events.amqpUrl, namespace: config.events.namespace, onError: (error) => logger.warn(`events: ${(error as Error | undefined)?.message ?? 'broker connection lost'}`) });
  const subscriptions = await startSubscriptionServer({ httpServer, path: '/graphql', apiSchema, apollo: server, transport, limits: config.queryLimits, formatError, authorizer: hooks.connectionAuthorizer ?? tokenAuthorizer(authenticator), maxPayloadBytes: config.maxBodyBytes, logger, onChange: () => {
    inflight.newGeneration();
    void subgraphCache?.cache.changedHere(['devices']);
  } });
  // Readiness: the live device status needs the broker, and signing in needs the revocation list in sync.
  app.get('/ready', (_request, response) => {
    const checks = { events: transport.isConnected() ? 'up' : 'down', revocations: revocations.isInSync() ? 'up' : 'down' };
    const ready = checks.events === 'up' && checks.revocations === 'up';
    response.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready', service: 'gateway', checks });
  });
  followSchema = (schema) => subscriptions.useSchema(schema);
  // A revoked token's open subscriptions end with it, on every replica.
  const stopFollowingRevocations = revocations.onRevoked((revocation) => {
    const ended = subscriptions.endConnections((identity) => revocations.isRevoked(identity, revocation), 'Token revoked');
    if (ended > 0) logger.info(`closed ${ended} connection(s) of a revoked token`);
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return {
    url: `http://${host}:${address.port}/graphql`,
    server: httpServer,
    reload,
    stats: () => subscriptions.stats(),
    queryPlanWarmup: () => warmer?.settled() ?? Promise.resolve(NOTHING_WARMED),
    logger,
    close: async () => {
      stopFollowingRevocations();
      await subscriptions.close();
      await server.stop();
      await subgraphFetcher.close();
      await transport.close();
      await revocationChannel.close();
      await subgraphCache?.cache.close();
      await redis?.quit().catch(() => undefined);
      await tracing?.stop();
    },
  };
}
