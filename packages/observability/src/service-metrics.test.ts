import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricValueWithName } from 'prom-client';
import { METRIC_NAMES, ServiceMetrics } from './service-metrics.js';

/** The value of `name`'s series with exactly `labels` (besides `service`), from the registry's own JSON. */
async function valueOf(metrics: ServiceMetrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((candidate) => candidate.name === name);
  const wanted = { ...labels, service: metrics.service };
  const matches = (actual: Record<string, unknown>) => Object.keys(actual).length === Object.keys(wanted).length && Object.entries(wanted).every(([key, value]) => actual[key] === value);
  return metric?.values.find((sample) => matches(sample.labels as Record<string, unknown>))?.value;
}

test('each error of a response is counted once under its code, and the request as an error of its type', async () => {
  const metrics = new ServiceMetrics('devices');
  metrics.recordRequest('query', 0.012, [{ extensions: { code: 'BAD_USER_INPUT' } }, { extensions: { code: 'BAD_USER_INPUT' } }, { extensions: { code: 'NOT_FOUND' } }]);
  metrics.recordRequest('query', 0.003, undefined);
  metrics.recordRequest('mutation', 0.2, []);
  assert.equal(await valueOf(metrics, METRIC_NAMES.errors, { code: 'BAD_USER_INPUT' }), 2);
  assert.equal(await valueOf(metrics, METRIC_NAMES.errors, { code: 'NOT_FOUND' }), 1);
  assert.equal(await valueOf(metrics, METRIC_NAMES.requests, { operation_type: 'query', outcome: 'error' }), 1);
  assert.equal(await valueOf(metrics, METRIC_NAMES.requests, { operation_type: 'query', outcome: 'success' }), 1);
  assert.equal(await valueOf(metrics, METRIC_NAMES.requests, { operation_type: 'mutation', outcome: 'success' }), 1, 'an empty error list is a success');
  const histogram = (await metrics.registry.getMetricsAsJSON()).find((metric) => metric.name === METRIC_NAMES.requestDuration);
  const count = (histogram?.values as MetricValueWithName<string>[] | undefined)?.find((sample) => sample.metricName === `${METRIC_NAMES.requestDuration}_count` && sample.labels['operation_type'] === 'query');
  assert.equal(count?.value, 2);
});

test('codes a client could choose land in one OTHER series: the label set stays bounded', async () => {
  const metrics = new ServiceMetrics('gateway');
  for (let index = 0; index < 50; index += 1) metrics.recordRequest('query', 0.001, [{ extensions: { code: `made-up-${index}` } }]);
  metrics.recordRequest('unknown', 0.001, [{ extensions: {} }, { message: 'no extensions' } as never]);
  metrics.recordRefusal({ not: 'a string' });
  const errors = (await metrics.registry.getMetricsAsJSON()).find((metric) => metric.name === METRIC_NAMES.errors);
  assert.deepEqual(errors?.values.map((sample) => [sample.labels['code'], sample.value]), [['OTHER', 53]]);
  assert.equal(await valueOf(metrics, METRIC_NAMES.requests, { operation_type: 'unknown', outcome: 'error' }), 2, 'a refusal is a failed request of no known operation');
});

test('two services in one thread keep their own registries, and the process metrics appear once in each', async () => {
  const gateway = new ServiceMetrics('gateway');
  const replica = new ServiceMetrics('gateway');
  gateway.recordRequest('query', 0.01, undefined);
  const [first, second] = await Promise.all([gateway.render(), replica.render()]);
  assert.match(first, /cloudphone_graphql_requests_total\{operation_type="query",outcome="success",service="gateway"\} 1\n/);
  assert.match(second, /cloudphone_graphql_requests_total\{operation_type="query",outcome="success",service="gateway"\} 0\n/);
  for (const text of [first, second]) assert.equal(text.match(/^# TYPE process_cpu_user_seconds_total counter$/gm)?.length, 1);
});

test('a gauge read at scrape time is NaN when its source fails or hangs, and the scrape still answers', async () => {
  const metrics = new ServiceMetrics('billing');
  metrics.watchOutboxBacklog(() => new Promise<number>(() => undefined));
  metrics.watchDeadLetters('billing', async () => 3);
  metrics.watchDeadLetters('billing-copies', () => Promise.reject(new Error('broker down')));
  const started = Date.now();
  const text = await metrics.render();
  assert.ok(Date.now() - started < 5_000, 'a stuck read does not hold the scrape');
  // prom-client spells NaN `Nan`; Prometheus reads it either way.
  assert.match(text, /^cloudphone_outbox_backlog\{service="billing"\} nan$/im);
  assert.match(text, /^cloudphone_dead_letters\{consumer="billing",service="billing"\} 3$/m);
  assert.match(text, /^cloudphone_dead_letters\{consumer="billing-copies",service="billing"\} nan$/im);
});
