import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { operationTypeLabel } from './labels.js';
import type { ServiceMetrics } from './service-metrics.js';

/**
 * Apollo Server plugin (gateway and subgraphs): counts and times every
 * GraphQL request that came over HTTP, and counts the errors of its response
 * by code once they are in their public shape. Operations a server runs for
 * itself (`executeOperation`: the gateway's subscription fan-out) are not
 * requests and are not counted; nor is anything outside Apollo (/metrics,
 * /health, /ready). A request refused while its context was built (no
 * identity, rate limited) never reaches the request hooks: it is counted as
 * a refusal.
 */
export function metricsPlugin<TContext extends BaseContext>(metrics: ServiceMetrics): ApolloServerPlugin<TContext> {
  return {
    async contextCreationDidFail({ error }) {
      metrics.recordRefusal(error instanceof GraphQLError ? error.extensions['code'] : undefined);
    },
    async requestDidStart({ request }) {
      if (!request.http) return undefined;
      const startedAt = performance.now();
      return {
        async willSendResponse({ response, operation }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          metrics.recordRequest(operationTypeLabel(operation?.operation), (performance.now() - startedAt) / 1000, errors);
        },
      };
    },
  };
}
