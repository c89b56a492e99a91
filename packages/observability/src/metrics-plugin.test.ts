import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricValueWithName } from 'prom-client';
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { metricsPlugin } from './metrics-plugin.js';
import { METRIC_NAMES, ServiceMetrics } from './service-metrics.js';

const typeDefs = 'type Query { ok: Boolean, bad: Boolean } type Mutation { touch: Boolean }';
const resolvers = {
  Query: { ok: () => true, bad: () => { throw new GraphQLError('nope', { extensions: { code: 'BAD_USER_INPUT' } }); } },
  Mutation: { touch: () => true },
};

function httpRequest(query: string): HTTPGraphQLRequest {
  return { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: { query } };
}

async function samples(metrics: ServiceMetrics, name: string): Promise<string[]> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((candidate) => candidate.name === name);
  return ((metric?.values ?? []) as MetricValueWithName<string>[])
    .filter((sample) => sample.value !== 0 && (sample.metricName === undefined || sample.metricName.endsWith('_count')))
    .map((sample) => `${Object.entries(sample.labels).filter(([key]) => key !== 'service').map(([key, value]) => `${key}=${value}`).join(',')} ${sample.value}`)
    .sort();
}

test('requests over HTTP are counted by type and outcome, timed, and their errors counted by code; a refused context counts as a refusal', async () => {
  const metrics = new ServiceMetrics('apps');
  const server = new ApolloServer({ typeDefs, resolvers, plugins: [metricsPlugin(metrics)] });
  await server.start();
  try {
    const context = async () => ({});
    for (const query of ['{ ok }', '{ ok }', '{ ok bad }', 'mutation { touch }', '{ ok', '{ missing }']) {
      await server.executeHTTPGraphQLRequest({ httpGraphQLRequest: httpRequest(query), context });
    }
    await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: httpRequest('{ ok }'),
      context: () => Promise.reject(new GraphQLError('who are you', { extensions: { code: 'UNAUTHENTICATED' } })),
    });
    // Run by the server for itself (no HTTP request): not a request.
    await server.executeOperation({ query: '{ ok }' });

    assert.deepEqual(await samples(metrics, METRIC_NAMES.requests), [
      'operation_type=mutation,outcome=success 1',
      'operation_type=query,outcome=error 1',
      'operation_type=query,outcome=success 2',
      'operation_type=unknown,outcome=error 3',
    ]);
    assert.deepEqual(await samples(metrics, METRIC_NAMES.errors), ['code=BAD_USER_INPUT 1', 'code=GRAPHQL_PARSE_FAILED 1', 'code=GRAPHQL_VALIDATION_FAILED 1', 'code=UNAUTHENTICATED 1']);
    assert.deepEqual(await samples(metrics, METRIC_NAMES.requestDuration), ['operation_type=mutation 1', 'operation_type=query 3', 'operation_type=unknown 2']);
  } finally {
    await server.stop();
  }
});
