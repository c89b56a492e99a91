import type http from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { REQUEST_ID_HEADER, requestIdFrom } from '@cloudphone/errors';
import { DeviceStatusFeed, type EventTransport } from '@cloudphone/events';
import {
  type ExecutionArgs,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { type Extra, useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { QueryLimits } from '../config.js';
import type { GatewayContext } from '../context.js';
import { queryLimitRules } from '../query-limits.js';
import { SharedFetches, aliasAwareResolver, deviceStatusSchema } from './device-status-schema.js';
import { type ErrorFormatter, formatSocketErrors, withEngineCode } from './socket-errors.js';

export interface SubscriptionServer {
  close(): Promise<void>;
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
}): Promise<SubscriptionServer> {
  const feed = new DeviceStatusFeed();
  await feed.start(options.transport);
  const schema = deviceStatusSchema(options.apiSchema, feed, options.apollo, new SharedFetches());

  const rules = [...specifiedRules, ...queryLimitRules(options.limits)];
  // One request id per connection: the upgrade request's x-request-id, else a new one.
  const requestIds = new WeakMap<Extra, string>();
  const requestIdOf = (extra: Extra): string => {
    let requestId = requestIds.get(extra);
    if (requestId === undefined) {
      requestId = requestIdFrom(extra.request.headers[REQUEST_ID_HEADER]);
      requestIds.set(extra, requestId);
    }
    return requestId;
  };

  const wsServer = new WebSocketServer({ server: options.httpServer, path: options.path });
  const cleanup = useServer<Record<string, unknown>>(
    {
      schema,
      onSubscribe: (context, _id, payload): ExecutionArgs | readonly GraphQLError[] => {
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [withEngineCode(error instanceof GraphQLError ? error : new GraphQLError(String(error)), 'GRAPHQL_PARSE_FAILED')];
        }
        const errors = validate(schema, document, rules);
        if (errors.length > 0) return errors.map((error) => withEngineCode(error, 'GRAPHQL_VALIDATION_FAILED'));
        const operation = getOperationAST(document, payload.operationName ?? undefined);
        if (operation?.operation !== 'subscription') {
          return [new GraphQLError('Only subscriptions are served over WebSocket; send queries and mutations over HTTP', { extensions: { code: 'BAD_USER_INPUT' } })];
        }
        return {
          schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: { requestId: requestIdOf(context.extra) } satisfies GatewayContext,
          fieldResolver: aliasAwareResolver,
        };
      },
      onError: (context, _id, _payload, errors) => formatSocketErrors(errors, options.formatError, requestIdOf(context.extra)),
      onNext: (context, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: formatSocketErrors(result.errors, options.formatError, requestIdOf(context.extra)) } : undefined,
    },
    wsServer,
  );

  return {
    close: async () => {
      await cleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      await feed.stop();
    },
  };
}
