import type http from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { AppError, REQUEST_ID_HEADER, requestIdFrom } from '@cloudphone/errors';
import type { Logger } from '@cloudphone/observability';
import { DeviceStatusFeed, type EventTransport } from '@cloudphone/events';
import type { ExecutionResult } from 'graphql-ws';
import {
  type ExecutionArgs,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  specifiedRules,
} from 'graphql';
import { type Extra, useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import type { QueryLimits } from '../config.js';
import type { GatewayContext, SubscriptionContext } from '../context.js';
import { introspectionRules, pageSizeErrors, parseWithinLimits, queryLimitRules } from '../query-limits.js';
import { type ConnectionAuthorizer, type ConnectionIdentity, isRefusal } from './connection-authorizer.js';
import { LiveOperations } from './live-operations.js';
import { SharedFetches, aliasAwareResolver, deviceStatusSchema } from './device-status-schema.js';
import { type ErrorFormatter, formatSocketErrors, withEngineCode } from './socket-errors.js';
import { ValidatedDocuments } from './validated-documents.js';

/** Per connection, from `connection_init` (graphql-ws's `extra` holds it). */
// A type, not an interface: graphql-ws wants an indexable record.
type ConnectionState = {
  requestId: string;
  identity: ConnectionIdentity;
};

/** What the subscription side holds now; every count returns to its base once clients leave. */
export interface SubscriptionStats {
  /** WebSocket connections open. */
  connections: number;
  /** Subscriptions open. */
  subscriptions: number;
  /** Readers of the device-status feed: one per open subscription. */
  feedListeners: number;
  /** Status changes waiting for slow subscribers. */
  bufferedEvents: number;
  /** The feed's broker queue (RabbitMQ; undefined in process), whose consumers do not grow with clients. */
  feedQueue: string | undefined;
}

export interface SubscriptionServer {
  stats(): SubscriptionStats;
  /**
   * Serves a new API schema (the supergraph changed): open subscriptions end
   * with SUPERGRAPH_RELOADED, then complete; new ones validate against it.
   */
  useSchema(apiSchema: GraphQLSchema): void;
  /** Closes (4401) every connection whose identity `matches`, e.g. a revoked token's; returns how many. */
  endConnections(matches: (identity: ConnectionIdentity) => boolean, reason: string): number;
  close(): Promise<void>;
}

function supergraphReloaded(): GraphQLError {
  const message = 'The gateway loaded a new supergraph: subscribe again';
  return new GraphQLError(message, { originalError: new AppError('SUPERGRAPH_RELOADED', message) });
}

function subscriptionContext(connection: ConnectionState): SubscriptionContext {
  return { requestId: connection.requestId, principal: connection.identity.principal };
}

/** The close code of a connection whose token stopped working: the client signs in again and reconnects. */
export const CLOSE_UNAUTHORIZED = 4401;

function requestIdOf(extra: Extra & Partial<ConnectionState>): string {
  return extra.requestId ?? requestIdFrom(extra.request.headers[REQUEST_ID_HEADER]);
}

/** graphql-js `subscribe` answers a stream, or a single result when the subscription could not start. */
function isStream(result: unknown): result is AsyncIterableIterator<ExecutionResult> {
  return typeof result === 'object' && result !== null && Symbol.asyncIterator in result && 'next' in result;
}

/**
 * Serves `deviceStatusChanged` over graphql-ws on the gateway's own path and
 * port. Status changes arrive from the event transport (on RabbitMQ, one
 * exclusive queue per gateway replica, so every replica sees every change).
 * For each change, the subscriber's selection under `device` is fetched
 * through the gateway itself as a `device(id:)` query, so it may reach any
 * subgraph; the event's own fields come from the event.
 */
export async function startSubscriptionServer(options: {
  httpServer: http.Server;
  path: string;
  apiSchema: GraphQLSchema;
  apollo: ApolloServer<GatewayContext>;
  transport: EventTransport;
  /** The same limits as HTTP queries: one rule for both. */
  limits: QueryLimits;
  /** The same formatter as HTTP errors. */
  formatError: ErrorFormatter;
  /** Decides each connection at `connection_init`. */
  authorizer: ConnectionAuthorizer;
  /** The largest WebSocket message accepted (the HTTP body limit). */
  maxPayloadBytes: number;
  logger: Logger;
  /** Called for every device status change before any subscriber's fetch for it. */
  onChange?: () => void;
}): Promise<SubscriptionServer> {
  const { authorizer } = options;
  const feed = new DeviceStatusFeed();
  await feed.start(options.transport, options.onChange);
  const sharedFetches = new SharedFetches();
  let schema = deviceStatusSchema(options.apiSchema, feed, options.apollo, sharedFetches);
  const live = new LiveOperations();

  // The HTTP limits, and in production no introspection, on the socket too.
  const rules = [...specifiedRules, ...queryLimitRules(options.limits), ...introspectionRules(options.limits)];
  const documentsFor = (current: GraphQLSchema) => new ValidatedDocuments(current, rules, undefined, (query) => parseWithinLimits(query, options.limits));
  let documents = documentsFor(schema);
  // Messages as large as an HTTP body at most (ws alone would take 100 MiB).
  const wsServer = new WebSocketServer({ server: options.httpServer, path: options.path, maxPayload: options.maxPayloadBytes });
  // Accepted connections and their identity: a token that expires or is revoked ends its connection.
  const accepted = new Map<WebSocket, ConnectionIdentity>();
  const admit = (socket: WebSocket, identity: ConnectionIdentity): void => {
    accepted.set(socket, identity);
    const expiry = identity.expiresAtMs === null ? undefined : setTimeout(() => socket.close(CLOSE_UNAUTHORIZED, 'Token expired'), Math.max(0, identity.expiresAtMs - Date.now()));
    expiry?.unref();
    socket.once('close', () => {
      clearTimeout(expiry);
      accepted.delete(socket);
    });
  };
  // What `connection_init` decided, kept on the connection for its subscriptions
  // (graphql-ws runs onSubscribe only on connections onConnect accepted).
  const connectionOf = (extra: Extra & Partial<ConnectionState>): ConnectionState => {
    if (!extra.identity) throw new Error('a subscription on a connection that was not accepted');
    return { requestId: extra.requestId ?? requestIdFrom(extra.request.headers[REQUEST_ID_HEADER]), identity: extra.identity };
  };
  const cleanup = useServer<Record<string, unknown>, ConnectionState>(
    {
      onConnect: async (context) => {
        const { extra } = context;
        const requestId = requestIdFrom(extra.request.headers[REQUEST_ID_HEADER]);
        let decision;
        try {
          decision = await authorizer.authorize(context.connectionParams ?? {}, extra.request);
        } catch (error) {
          options.logger.error({ requestId }, `connection authorizer failed: ${(error as Error | undefined)?.message ?? String(error)}`);
          // graphql-ws closes with 4500 and this message as the reason: nothing internal.
          throw new Error('Internal server error');
        }
        if (isRefusal(decision)) {
          options.logger.warn({ requestId }, `connection refused: ${decision.refused}`);
          return false;
        }
        extra.requestId = requestId;
        extra.identity = decision;
        admit(extra.socket, decision);
        return true;
      },
      onSubscribe: (context, _id, payload): ExecutionArgs | readonly GraphQLError[] => {
        const checked = documents.check(payload.query);
        if (checked.errors) return checked.errors.map((error) => withEngineCode(error, checked.parseFailed ? 'GRAPHQL_PARSE_FAILED' : 'GRAPHQL_VALIDATION_FAILED'));
        const { document } = checked;
        const operation = getOperationAST(document, payload.operationName ?? undefined);
        if (operation?.operation !== 'subscription') {
          return [new GraphQLError('Only subscriptions are served over WebSocket; send queries and mutations over HTTP', { extensions: { code: 'BAD_USER_INPUT' } })];
        }
        // Variables are coerced here, as Apollo Server does over HTTP, so that a bad one is the client's error.
        const variables = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {});
        if (variables.errors) return variables.errors.map((error) => withEngineCode(error, 'BAD_USER_INPUT'));
        const tooLarge = pageSizeErrors(document, payload.operationName, payload.variables, schema, options.limits);
        if (tooLarge.length > 0) return tooLarge;
        return {
          schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: subscriptionContext(connectionOf(context.extra)),
          fieldResolver: aliasAwareResolver,
        };
      },
      onOperation: (_context, _id, _payload, args, result) => {
        if (!isStream(result)) return undefined;
        const tracked = live.track(result);
        // Subscribed on a schema replaced while it started: it ends at once, like the others did.
        if (args.schema !== schema) tracked.end(supergraphReloaded());
        return tracked;
      },
      onError: (context, _id, _payload, errors) => formatSocketErrors(errors, options.formatError, requestIdOf(context.extra)),
      onNext: (context, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: formatSocketErrors(result.errors, options.formatError, requestIdOf(context.extra)) } : undefined,
    },
    wsServer,
  );

  return {
    stats: () => {
      const feedStats = feed.stats();
      return { connections: wsServer.clients.size, subscriptions: live.size, feedListeners: feedStats.listeners, bufferedEvents: feedStats.buffered, feedQueue: feedStats.queue };
    },
    useSchema: (apiSchema) => {
      schema = deviceStatusSchema(apiSchema, feed, options.apollo, sharedFetches);
      documents = documentsFor(schema);
      live.endAll(supergraphReloaded());
    },
    endConnections: (matches, reason) => {
      let ended = 0;
      for (const [socket, identity] of accepted) {
        if (!matches(identity)) continue;
        socket.close(CLOSE_UNAUTHORIZED, reason);
        ended += 1;
      }
      return ended;
    },
    close: async () => {
      await cleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      await feed.stop();
    },
  };
}
