import type { ApolloServer } from '@apollo/server';
import { AppError, isId } from '@cloudphone/errors';
import type { DeviceStatusChange, DeviceStatusFeed } from '@cloudphone/events';
import { addResolversToSchema } from '@graphql-tools/schema';
import { type GraphQLFieldResolver, GraphQLError, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { canAccess } from '@cloudphone/identity';
import type { GatewayContext } from '../context.js';
import { viewKeyOf } from '../auth/view-key.js';
import { deviceQueryFor } from './delegate.js';

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
export const aliasAwareResolver: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
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
export class SharedFetches {
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

/**
 * The API schema with `deviceStatusChanged` served from the feed: the
 * event's own fields come from the event, and the subscriber's selection
 * under `device` is fetched through the gateway itself as a `device(id:)`
 * query, so it may reach any subgraph.
 */
export function deviceStatusSchema(apiSchema: GraphQLSchema, feed: DeviceStatusFeed, apollo: ApolloServer<GatewayContext>, sharedFetches: SharedFetches): GraphQLSchema {
  return addResolversToSchema({
    schema: apiSchema,
    updateResolversInPlace: false,
    resolvers: {
      Subscription: {
        deviceStatusChanged: {
          subscribe: (_source: unknown, args: { deviceId?: unknown; userId?: unknown }, context: GatewayContext) => {
            const deviceId = optionalId(args.deviceId, 'deviceId');
            const userId = optionalId(args.userId, 'userId');
            const { principal } = context;
            // Only the changes of devices the subscriber may read reach it (the device fetch checks again).
            const visible = (change: DeviceStatusChange) => canAccess(principal, 'device', { userId: change.data.userId, tenantId: change.tenantId });
            return feed.subscribe({ deviceId, userId, visible });
          },
          resolve: (change: DeviceStatusChange): StatusEventSource => ({
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
          // Subscribers who see alike (same view), with the same selection and variables, share one fetch per event.
          return sharedFetches.get(`${event.eventId}\n${viewKeyOf(context.principal)}\n${query}\n${JSON.stringify(variables)}`, async () => {
            const response = await apollo.executeOperation({ query, variables }, { contextValue: { requestId: context.requestId, principal: context.principal, live: true } });
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
}
