import type http from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { AppError, REQUEST_ID_HEADER, isId, requestIdFrom } from '@cloudphone/errors';
import { type DeviceStatusChange, DeviceStatusFeed, type EventTransport } from '@cloudphone/events';
import { addResolversToSchema } from '@graphql-tools/schema';
import {
  type ExecutionArgs,
  type GraphQLFieldResolver,
  GraphQLError,
  type GraphQLResolveInfo,
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
import { deviceQueryFor } from './delegate.js';
import { type ErrorFormatter, formatSocketErrors, withEngineCode } from './socket-errors.js';

type StatusChange = DeviceStatusChange;

interface StatusEventSource {
  eventId: string;
  deviceId: string;
  previousStatus: string;
  status: string;
  occurredAt: string;
}

/** graphql-ws sends a thrown error's own extensions: the shared id rule, as a GraphQL error. */
function optionalId(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isId(value)) throw new GraphQLError(`"${field}" is not a valid ID`, { extensions: { code: 'BAD_USER_INPUT', field, service: 'gateway', retryable: false } });
  return value.toLowerCase();
}

/** Reads a field by its response key first: delegated results carry the subscriber's aliases. */
const aliasAwareResolver: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
  if (typeof source !== 'object' || source === null) return undefined;
  const record = source as Record<string, unknown>;
  const byKey = record[info.path.key];
  return byKey !== undefined ? byKey : record[info.fieldName];
};

/**
 * In-flight and just-finished fetches by key, so that every subscriber of a
 * group (same event, same selection, same variables) reuses one result; kept
 * a few seconds, enough for a burst of subscribers to read it.
 */
class SharedFetches {
  private readonly entries = new Map<string, Promise<unknown>>();

  constructor(private readonly keepMs = 5_000) {}

  get(key: string, fetch: () => Promise<unknown>): Promise<unknown> {
    const existing = this.entries.get(key);
    if (existing) return existing;
    const pending = fetch();
    this.entries.set(key, pending);
    const forget = () => setTimeout(() => this.entries.delete(key), this.keepMs).unref();
    pending.then(forget, forget);
    return pending;
  }
}

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
  const sharedFetches = new SharedFetches();

  const schema = addResolversToSchema({
    schema: options.apiSchema,
    updateResolversInPlace: false,
    resolvers: {
      Subscription: {
        deviceStatusChanged: {
          subscribe: (_source: unknown, args: { deviceId?: unknown; userId?: unknown }) => {
            const deviceId = optionalId(args.deviceId, 'deviceId');
            const userId = optionalId(args.userId, 'userId');
            return feed.subscribe({ deviceId, userId });
          },
          resolve: (change: StatusChange): StatusEventSource => ({
            eventId: change.id,
            deviceId: change.data.deviceId,
            previousStatus: change.data.previousStatus,
            status: change.data.status,
            occurredAt: change.data.changedAt,
          }),
        },
      },
      DeviceStatusEvent: {
        device: (event: StatusEventSource, _args: unknown, context: GatewayContext, info: GraphQLResolveInfo) => {
          const { query, variables } = deviceQueryFor(info, event.deviceId);
          // Subscribers with the same selection and variables share one fetch per event (the identity's scope joins the key with auth).
          return sharedFetches.get(`${event.eventId}\n${query}\n${JSON.stringify(variables)}`, async () => {
            const response = await options.apollo.executeOperation({ query, variables }, { contextValue: { requestId: context.requestId } });
            if (response.body.kind !== 'single') throw new AppError('INTERNAL_ERROR', 'Unexpected incremental response');
            const { data, errors } = response.body.singleResult;
            const device = (data as { device?: unknown } | null | undefined)?.device;
            if (errors?.length && !device) throw new GraphQLError(errors[0]?.message ?? 'Device not available', { extensions: errors[0]?.extensions ?? {} });
            return device ?? null;
          });
        },
      },
    },
  });

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
