import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, IntrospectAndCompose } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { REQUEST_ID_HEADER, createErrorFormatter, requestIdFrom, requestIdPlugin } from '@cloudphone/errors';
import { ServiceGuard } from '@cloudphone/resilience';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { createTransport } from '@cloudphone/events';
import type { ConnectionAuthorizer } from './subscriptions/connection-authorizer.js';
import { type SubscriptionStats, startSubscriptionServer } from './subscriptions/subscription-server.js';
import type { GatewayConfig } from './config.js';
import type { GatewayContext } from './context.js';
import { logGateway } from './log.js';
import { queryLimitRules } from './query-limits.js';
import { ResilientDataSource } from './resilient-data-source.js';
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
  close(): Promise<void>;
}

export interface ComposedGateway {
  gateway: ApolloGateway;
  /** Serves the supergraph file anew if it changed (static composition only). */
  reload(): Promise<boolean>;
}

/**
 * Composes statically from the committed supergraph (introspection only behind
 * the development flag), with one guard per subgraph shared by all requests.
 */
export async function createGateway(config: GatewayConfig): Promise<ComposedGateway> {
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
    return new ResilientDataSource(target, guardOf(name));
  };
  if (config.devIntrospection) {
    const subgraphs = subgraphsOf(await readFile(config.supergraphPath, 'utf8')).map(({ name, url }) => ({ name, url: config.subgraphUrls[name] ?? url }));
    return {
      gateway: new ApolloGateway({ supergraphSdl: new IntrospectAndCompose({ subgraphs }), buildService }),
      reload: () => Promise.reject(new Error('reload serves the supergraph file; this gateway composes by introspection (GATEWAY_DEV_INTROSPECTION)')),
    };
  }
  const file = new SupergraphFile(config.supergraphPath);
  return { gateway: new ApolloGateway({ supergraphSdl: file.hook, buildService }), reload: () => file.reload() };
}

/** What the code embedding the gateway plugs in, beside its configuration. */
export interface GatewayHooks {
  /** Decides each WebSocket connection at `connection_init`; default: every one accepted, anonymous. */
  connectionAuthorizer?: ConnectionAuthorizer;
}

export async function startGateway(config: GatewayConfig, hooks: GatewayHooks = {}): Promise<GatewayHandle> {
  const { gateway, reload } = await createGateway(config);
  let apiSchema: GraphQLSchema | undefined;
  // Every load after the subscription server started is a reload, which it follows.
  let followSchema: ((schema: GraphQLSchema) => void) | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: loaded }) => {
    apiSchema = loaded;
    followSchema?.(loaded);
  });
  const app = express();
  const httpServer = http.createServer(app);
  const formatError = createErrorFormatter('gateway', (entry) => console.error(JSON.stringify({ level: 'error', ...entry })));
  const server = new ApolloServer<GatewayContext>({
    gateway,
    formatError,
    validationRules: queryLimitRules(config.queryLimits),
    includeStacktraceInErrorResponses: false,
    // Whoever starts the gateway owns shutdown (it also stops the subgraphs in embedded mode).
    stopOnTerminationSignals: false,
    plugins: [requestIdPlugin<GatewayContext>(), ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();
  app.disable('x-powered-by');
  app.get('/health', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.use(
    '/graphql',
    express.json({ limit: config.maxBodyBytes }),
    expressMiddleware(server, {
      context: async ({ req }) => ({ requestId: requestIdFrom(req.headers[REQUEST_ID_HEADER]) }),
    }),
  );
  if (!apiSchema) throw new Error('the gateway started without a schema');
  const transport = createTransport({ amqpUrl: config.events.amqpUrl, namespace: config.events.namespace, onError: (error) => logGateway('warn', `events: ${(error as Error | undefined)?.message ?? 'broker connection lost'}`) });
  const subscriptions = await startSubscriptionServer({ httpServer, path: '/graphql', apiSchema, apollo: server, transport, limits: config.queryLimits, formatError, authorizer: hooks.connectionAuthorizer });
  followSchema = (schema) => subscriptions.useSchema(schema);
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
    close: async () => {
      await subscriptions.close();
      await server.stop();
      await transport.close();
    },
  };
}
