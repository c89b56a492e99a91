import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type EventTransport, createEnvelope, createTransport } from '@cloudphone/events';
import { type PrometheusScrape, graphql, scrapeMetrics, sumOf } from '@cloudphone/testing';
import { DEMO_ADMIN, buildDemoDataset } from '@cloudphone/tools';
import { signIn } from './support/auth.js';
import { eventually } from './support/events.js';
import { ADMIN_DEVICE_LIST_PAGE } from './support/page-queries.js';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

// The subgraph cache on, with answers kept for ten minutes: anything this test sees change was invalidated by an
// announced change, not by expiry.
const dataset = buildDemoDataset();
let stack: TestStack | undefined;
let publisher: EventTransport | undefined;

before(async () => {
  stack = await startTestStack(await preferredKind(), { ...dataset }, { SUBGRAPH_CACHE: 'true', SUBGRAPH_CACHE_TTL_MS: '600000' });
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

const metricsOf = (graphqlUrl: string) => scrapeMetrics(graphqlUrl.replace(/\/graphql$/, '/metrics'));
const cacheCount = (scrape: PrometheusScrape, outcome: string) => sumOf(scrape, 'cloudphone_subgraph_cache_total', { outcome });
const requestsOf = (scrape: PrometheusScrape) => sumOf(scrape, 'cloudphone_graphql_requests_total', {});

async function devicePage(headers: Record<string, string>) {
  const result = await graphql<{ devices: { edges: { node: { id: string; user: { id: string } } }[] } }>(running().gatewayUrl, ADMIN_DEVICE_LIST_PAGE, { first: 20 }, headers);
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  assert.ok(result.data);
  return result.data.devices.edges.map((edge) => edge.node);
}

test('a page read twice is answered from the cache the second time, without asking the subgraphs', async () => {
  const { gatewayUrl, subgraphUrls, admin } = running();
  const first = await devicePage(admin.headers);
  const gatewayBefore = await metricsOf(gatewayUrl);
  const devicesBefore = await metricsOf(subgraphUrls['devices'] ?? '');
  const second = await devicePage(admin.headers);
  const gatewayAfter = await metricsOf(gatewayUrl);
  const devicesAfter = await metricsOf(subgraphUrls['devices'] ?? '');
  assert.deepEqual(second, first);
  assert.ok(cacheCount(gatewayAfter, 'hit') - cacheCount(gatewayBefore, 'hit') >= 4, 'devices, users, apps and billing answered from the cache');
  assert.equal(cacheCount(gatewayAfter, 'miss') - cacheCount(gatewayBefore, 'miss'), 0);
  assert.equal(requestsOf(devicesAfter) - requestsOf(devicesBefore), 0, 'the devices subgraph was not asked');
});

test('another caller never gets an answer kept for the first', async () => {
  const { admin } = running();
  assert.ok((await devicePage(admin.headers)).length > 0);
  // A user of a new tenant, with no device: the administrator's kept page must not reach them.
  const user = await signIn(running(), 'USER');
  for (let round = 0; round < 2; round += 1) assert.deepEqual(await devicePage(user.headers), []);
});

test('a write through the gateway is read back at once', async () => {
  const { gatewayUrl, admin } = running();
  const target = dataset.users.users.find((user) => user.id !== undefined && user.email !== DEMO_ADMIN.email);
  assert.ok(target?.id);
  const read = async () => (await graphql<{ user: { displayName: string } }>(gatewayUrl, 'query($id: ID!) { user(id: $id) { displayName } }', { id: target.id }, admin.headers)).data?.user.displayName;
  assert.equal(await read(), target.displayName);
  assert.equal(await read(), target.displayName);
  const renamed = `Renamed ${randomUUID().slice(0, 8)}`;
  const update = await graphql(gatewayUrl, 'mutation($id: ID!, $name: String!) { updateUser(id: $id, input: { displayName: $name }) { id } }', { id: target.id, name: renamed }, admin.headers);
  assert.equal(update.errors, undefined, JSON.stringify(update.errors));
  assert.equal(await read(), renamed);
});

test('a change a subgraph applies from an event, with no request through the gateway, is not hidden by the cache', async () => {
  const { gatewayUrl, admin } = running();
  const owner = dataset.users.users.find((user) => dataset.devices.devices.some((device) => device.userId === user.id));
  assert.ok(owner?.id && owner.tenantId && publisher);
  const name = `Zyx ${randomUUID().slice(0, 8)}`;
  const matching = async () => (await graphql<{ devices: { totalCount: number } }>(gatewayUrl, 'query($owner: String) { devices(filter: { owner: $owner }) { totalCount } }', { owner: name }, admin.headers)).data?.devices.totalCount;
  // Read (and kept) before the event: no device's owner has that name yet.
  assert.equal(await matching(), 0);
  assert.equal(await matching(), 0);
  // As if the users subgraph had renamed the owner: the devices subgraph updates its copy of the owner and announces it.
  await publisher.publish(createEnvelope('user.updated', { userId: owner.id, tenantId: owner.tenantId, username: owner.username, email: owner.email, displayName: name, status: 'ACTIVE', version: 1_000 }, { source: 'users' }));
  await eventually(async () => ((await matching()) ?? 0) > 0, 'the device list filtered by the new owner name finds the owner\'s devices', 15_000);
});
