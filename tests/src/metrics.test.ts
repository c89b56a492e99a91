import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type AnyEventEnvelope, type EventTransport, OUTBOX_RELAY_LOCK, createTransport } from '@cloudphone/events';
import { type PrometheusScrape, graphql, realPostgres, samplesOf, scrapeMetrics, sumOf } from '@cloudphone/testing';
import postgres from 'postgres';
import { eventually, userUpdated } from './support/events.js';
import { NESTED_QUERY } from './support/nested-query.js';
import { type TestStack, preferredKind, startReplica, startTestStack } from './support/stack.js';

let stack: TestStack | undefined;
let publisher: EventTransport | undefined;

before(async () => {
  stack = await startTestStack(await preferredKind(), null);
  assert.ok(stack);
  publisher = createTransport({ amqpUrl: stack.events.amqpUrl, namespace: stack.events.namespace });
});
after(async () => {
  await publisher?.close();
  await stack?.close();
});

function running(): TestStack {
  assert.ok(stack);
  return stack;
}

/** A service's endpoint beside its /graphql. */
const beside = (graphqlUrl: string, path: 'metrics' | 'health' | 'ready') => graphqlUrl.replace(/\/graphql$/, `/${path}`);
const scrape = (graphqlUrl: string) => scrapeMetrics(beside(graphqlUrl, 'metrics'));
const subgraphUrl = (name: string): string => {
  const url = running().subgraphUrls[name];
  assert.ok(url, `the stack has a ${name} subgraph`);
  return url;
};

/** How much `name`'s samples matching `labels` grew from one scrape to the next. */
const growth = (from: PrometheusScrape, to: PrometheusScrape, name: string, labels: Record<string, string>) => sumOf(to, name, labels) - sumOf(from, name, labels);

test('the gateway counts and times each request and counts its errors by code; probes and scrapes are not requests', async () => {
  const { gatewayUrl, admin } = running();
  const gateway = { service: 'gateway' };
  const before = await scrape(gatewayUrl);
  const nested = await graphql(gatewayUrl, NESTED_QUERY, { first: 5 }, admin.headers);
  assert.equal(nested.errors, undefined, JSON.stringify(nested.errors));
  const failing = await graphql(gatewayUrl, '{ device(id: "not-an-id") { id } }', {}, admin.headers);
  assert.deepEqual(failing.errors?.map((error) => error.extensions?.code), ['BAD_USER_INPUT']);
  for (const path of ['health', 'ready'] as const) assert.equal((await fetch(beside(gatewayUrl, path))).status, 200);
  await scrape(gatewayUrl);
  const after = await scrape(gatewayUrl);

  assert.equal(after.types.get('cloudphone_graphql_requests_total'), 'counter');
  assert.equal(after.types.get('cloudphone_graphql_request_duration_seconds'), 'histogram');
  assert.equal(growth(before, after, 'cloudphone_graphql_requests_total', { ...gateway, operation_type: 'query', outcome: 'success' }), 1);
  assert.equal(growth(before, after, 'cloudphone_graphql_requests_total', { ...gateway, operation_type: 'query', outcome: 'error' }), 1);
  assert.equal(growth(before, after, 'cloudphone_graphql_requests_total', gateway), 2, 'nothing else was counted: not /health, /ready nor /metrics');
  assert.equal(growth(before, after, 'cloudphone_graphql_request_duration_seconds_count', { ...gateway, operation_type: 'query' }), 2);
  assert.equal(growth(before, after, 'cloudphone_graphql_request_duration_seconds_bucket', { ...gateway, operation_type: 'query', le: '+Inf' }), 2);
  assert.ok(growth(before, after, 'cloudphone_graphql_request_duration_seconds_sum', { ...gateway, operation_type: 'query' }) > 0, 'the requests took time');
  assert.equal(growth(before, after, 'cloudphone_graphql_errors_total', { ...gateway, code: 'BAD_USER_INPUT' }), 1);
  assert.equal(growth(before, after, 'cloudphone_graphql_errors_total', gateway), 1, 'one error, counted once');
  assert.ok(sumOf(after, 'process_resident_memory_bytes') > 0, 'the process metrics are served by the main thread');
});

test('each subgraph serves its own registry: its own requests and errors, labelled with its name', async () => {
  const { gatewayUrl, admin, subgraphUrls } = running();
  const devicesUrl = subgraphUrl('devices');
  const before = await scrape(devicesUrl);
  assert.equal((await graphql(gatewayUrl, NESTED_QUERY, { first: 5 }, admin.headers)).errors, undefined);
  await graphql(gatewayUrl, '{ device(id: "not-an-id") { id } }', {}, admin.headers);
  const after = await scrape(devicesUrl);

  assert.ok(growth(before, after, 'cloudphone_graphql_requests_total', { service: 'devices', operation_type: 'query', outcome: 'success' }) >= 1, 'the nested query reached devices');
  assert.equal(growth(before, after, 'cloudphone_graphql_errors_total', { service: 'devices', code: 'BAD_USER_INPUT' }), 1, 'devices refused the bad id');
  for (const [name, url] of Object.entries(subgraphUrls)) {
    const scraped = await scrape(url);
    const services = new Set(scraped.samples.filter((sample) => sample.name.startsWith('cloudphone_')).map((sample) => sample.labels['service']));
    assert.deepEqual([...services], [name], `${name} serves only its own series`);
    assert.equal(sumOf(scraped, 'process_resident_memory_bytes'), 0, `${name} runs in a thread: the process metrics are the gateway's to serve`);
  }
});

test('the outbox backlog is what the relay has yet to publish', async (context) => {
  const { gatewayUrl, admin, databases } = running();
  const backlog = async (name: string) => samplesOf(await scrape(subgraphUrl(name)), 'cloudphone_outbox_backlog', { service: name }).map((sample) => sample.value);
  for (const name of Object.keys(running().subgraphUrls)) await eventually(async () => (await backlog(name)).join() === '0', `${name}'s outbox is published`);

  const adminUrl = await realPostgres();
  const target = databases['users'];
  if (adminUrl === undefined || target?.kind !== 'postgres') return context.skip('holding the relay back needs PostgreSQL: set TEST_POSTGRES_URL');
  // Holding the relay's lock stops the users relay from publishing: its events wait in the outbox.
  const holder = postgres(target.url, { max: 1, onnotice: () => undefined });
  try {
    await holder`select pg_advisory_lock(${OUTBOX_RELAY_LOCK})`;
    const renamed = await graphql(gatewayUrl, 'mutation($id: ID!) { updateUser(id: $id, input: { displayName: "Renamed while held" }) { id } }', { id: admin.userId }, admin.headers);
    assert.equal(renamed.errors, undefined, JSON.stringify(renamed.errors));
    const [row] = await holder<{ unpublished: number }[]>`select count(*)::int as unpublished from outbox where published_at is null`;
    assert.ok((row?.unpublished ?? 0) >= 1, 'the change waits in the outbox');
    assert.deepEqual(await backlog('users'), [row?.unpublished]);
    await holder`select pg_advisory_unlock(${OUTBOX_RELAY_LOCK})`;
    await eventually(async () => (await backlog('users')).join() === '0', 'the relay catches up once released');
  } finally {
    await holder.end();
  }
});

test('a poison message shows in the dead letters of the subgraphs that consume it; an applied event in their event lag', async () => {
  assert.ok(publisher);
  const deadLetters = async (name: string) => samplesOf(await scrape(subgraphUrl(name)), 'cloudphone_dead_letters', { service: name, consumer: name }).map((sample) => sample.value);
  const lagCount = async (name: string) => sumOf(await scrape(subgraphUrl(name)), 'cloudphone_event_lag_seconds_count', { service: name, routing_key: 'user.updated' });
  // Every consuming subgraph starts with an empty dead-letter queue; users consumes nothing.
  for (const name of ['devices', 'billing', 'apps', 'notifications', 'scheduler']) assert.deepEqual(await deadLetters(name), [0], name);
  assert.equal((await scrape(subgraphUrl('users'))).types.has('cloudphone_dead_letters'), false);
  const lagBefore = await lagCount('devices');

  // user.updated is consumed by devices and billing (their copies of users); this payload can never be valid.
  const poison = { ...userUpdated(randomUUID(), 1), data: { userId: 'not-a-uuid' } } as unknown as AnyEventEnvelope;
  await publisher.publish(poison);
  await publisher.publish(userUpdated(randomUUID(), 1));

  for (const name of ['devices', 'billing']) await eventually(async () => (await deadLetters(name)).join() === '1', `${name} dead-lettered the poison`);
  for (const name of ['apps', 'notifications', 'scheduler']) assert.deepEqual(await deadLetters(name), [0], `${name} does not consume user.updated`);
  await eventually(async () => (await lagCount('devices')) === lagBefore + 1, 'devices applied the valid event and observed its lag');
  const lag = await scrape(subgraphUrl('devices'));
  const seconds = sumOf(lag, 'cloudphone_event_lag_seconds_sum', { routing_key: 'user.updated' });
  assert.ok(seconds >= 0 && seconds < 60, `a lag of ${seconds} s`);
  assert.equal(sumOf(lag, 'cloudphone_event_lag_seconds_bucket', { routing_key: 'user.updated', le: '+Inf' }), lagBefore + 1);
});

test('with METRICS_TOKEN, the gateway serves /metrics only to its bearer token', async () => {
  const token = randomUUID() + randomUUID();
  const replica = await startReplica(running(), { METRICS_TOKEN: token });
  try {
    const metricsUrl = beside(replica.url, 'metrics');
    for (const authorization of [undefined, `Bearer ${token.slice(1)}`, `Bearer ${token}x`, token]) {
      const refused = await fetch(metricsUrl, { headers: authorization ? { authorization } : {} });
      assert.equal(refused.status, 401, `refused with ${authorization ?? 'no authorization'}`);
      assert.doesNotMatch(await refused.text(), /cloudphone_/);
    }
    const scraped = await fetch(metricsUrl, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(scraped.status, 200);
    assert.match(await scraped.text(), /cloudphone_graphql_requests_total/);
    // Probes stay open: orchestrators call them without credentials.
    assert.equal((await fetch(beside(replica.url, 'health'))).status, 200);
  } finally {
    await replica.close();
  }
});
