import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { graphql } from '@cloudphone/testing';
import { buildDemoDataset } from '@cloudphone/tools';
import { NESTED_QUERY } from './support/nested-query.js';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

// The frontend's nested query, reaching every subgraph (notifications, and the scheduler through each device's allocation and node resources).
const QUERY = NESTED_QUERY.replace('orders(first: 100) {', 'unreadNotificationCount notifications(first: 5) { totalCount edges { node { title } } } orders(first: 100) {').replace(
  'spec { cpuCores memoryMb storageGb }',
  'spec { cpuCores memoryMb storageGb } allocation { status strategy node { name resources { loadScore } } }',
);

// More users than the largest page, so every size reads a full page.
const dataset = buildDemoDataset({ tenants: 4, users: 130, devices: 420, applications: 30, orders: 320 });
let stack: TestStack | undefined;

before(async () => {
  // Statements are counted per subgraph, background work included: billing's saga poll and expiry
  // sweep (every second by default) would be counted with the query, so they are slowed down here.
  Object.assign(process.env, { SAGA_POLL_MS: '60000', ORDER_EXPIRY_INTERVAL_MS: '3600000' });
  stack = await startTestStack(await preferredKind(), { ...dataset });
});
after(async () => {
  await stack?.close();
});

async function statementsPerSubgraph(first: number): Promise<Record<string, number>> {
  if (!stack) throw new Error('stack not started');
  const threads = [...stack.subgraphs.values()];
  const before = await Promise.all(threads.map((thread) => thread.statements()));
  const result = await graphql<{ users: { edges: unknown[] } }>(stack.gatewayUrl, QUERY, { first }, stack.admin.headers);
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  assert.equal(result.data?.users.edges.length, first);
  const afterwards = await Promise.all(threads.map((thread) => thread.statements()));
  return Object.fromEntries(threads.map((thread, index) => [thread.name, (afterwards[index] ?? 0) - (before[index] ?? 0)]));
}

test('the first user of the seed reaches every subgraph (devices with installs, orders with devices)', () => {
  const first = [...dataset.users.users].sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0))[0];
  assert.ok(first);
  const devices = dataset.devices.devices.filter((device) => device.userId === first.id);
  assert.ok(devices.some((device) => dataset.apps.installs.some((install) => install.deviceId === device.id)));
  assert.ok(dataset.billing.orders.some((order) => order.userId === first.id && order.deviceId !== null));
});

test('resolving 1, 10 and 100 users with devices, installs, orders and notifications costs the same SQL statements per subgraph', async () => {
  const one = await statementsPerSubgraph(1);
  const ten = await statementsPerSubgraph(10);
  const hundred = await statementsPerSubgraph(100);
  console.log(`# statements per subgraph: 1 user ${JSON.stringify(one)}, 10 users ${JSON.stringify(ten)}, 100 users ${JSON.stringify(hundred)}`);
  for (const name of Object.keys(one)) assert.ok((one[name] ?? 0) > 0, `${name} answered without SQL`);
  assert.deepEqual(ten, one);
  assert.deepEqual(hundred, one);
});
