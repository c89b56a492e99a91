import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePrometheusText, sumOf } from './prometheus.js';

test('samples are read with their escaped labels, special values and timestamps; types are kept', () => {
  const scrape = parsePrometheusText(
    [
      '# HELP cloudphone_graphql_errors_total Errors, by "code".',
      '# TYPE cloudphone_graphql_errors_total counter',
      'cloudphone_graphql_errors_total{code="BAD_USER_INPUT",service="gateway"} 2',
      'cloudphone_graphql_errors_total{code="OTHER",service="ga\\"te\\\\way\\n"} 1e3 1700000000000',
      '',
      '# TYPE cloudphone_outbox_backlog gauge',
      'cloudphone_outbox_backlog{service="users",} Nan',
      'cloudphone_graphql_request_duration_seconds_bucket{le="+Inf",service="users"} +Inf',
      'process_cpu_seconds_total 0.25',
    ].join('\n'),
  );
  assert.equal(scrape.types.get('cloudphone_graphql_errors_total'), 'counter');
  assert.equal(scrape.types.get('cloudphone_outbox_backlog'), 'gauge');
  assert.deepEqual(scrape.samples[1], { name: 'cloudphone_graphql_errors_total', labels: { code: 'OTHER', service: 'ga"te\\way\n' }, value: 1000 });
  assert.ok(Number.isNaN(scrape.samples[2]?.value));
  assert.equal(scrape.samples[3]?.value, Number.POSITIVE_INFINITY);
  assert.deepEqual(scrape.samples[4], { name: 'process_cpu_seconds_total', labels: {}, value: 0.25 });
  assert.equal(sumOf(scrape, 'cloudphone_graphql_errors_total'), 1002);
  assert.equal(sumOf(scrape, 'cloudphone_graphql_errors_total', { code: 'BAD_USER_INPUT' }), 2);
  assert.equal(sumOf(scrape, 'cloudphone_graphql_errors_total', { code: 'NOT_FOUND' }), 0);
});

test('a line that is not a sample is refused, naming it', () => {
  for (const line of ['metric{code="x} 1', 'metric{code=x} 1', 'metric 1 2 3', 'metric one', 'metric{code="\\t"} 1', '9metric 1', 'metric{a="b"}1']) {
    assert.throws(() => parsePrometheusText(line), /line 1 is not a sample/, line);
  }
});
