import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type EventTransport, createTransport } from '@cloudphone/events';
import { graphql, realRabbitMq } from '@cloudphone/testing';
import { buildDemoDataset, checkConsistency } from '@cloudphone/tools';
import postgres from 'postgres';
import { eventually, userUpdated } from '../support/events.js';
import { serviceHeaders } from '../support/auth.js';
import { type TestStack, preferredKind, startTestStack } from '../support/stack.js';

const dataset = buildDemoDataset();
const owner = dataset.users.users.find((user) => dataset.devices.devices.filter((device) => device.userId === user.id).length >= 2 && dataset.billing.orders.some((order) => order.userId === user.id));
let stack: TestStack | undefined;
let publisher: EventTransport | undefined;
let subgraphHeaders: Record<string, string> = {};

before(async () => {
  const amqpUrl = await realRabbitMq();
  stack = await startTestStack(await preferredKind(), { ...dataset }, {}, { amqpUrl, retry: { maxAttempts: 5, baseMs: 50, factor: 2 } });
  assert.ok(stack);
  subgraphHeaders = await serviceHeaders(stack);
  publisher = createTransport({ amqpUrl: stack.events.amqpUrl, namespace: stack.events.namespace });
});
after(async () => {
  await publisher?.close();
  await stack?.close();
});

async function devicesOwnedBy(name: string): Promise<number> {
  assert.ok(stack);
  const result = await graphql<{ devices: { totalCount: number } }>(stack.gatewayUrl, 'query($owner: String) { devices(filter: { owner: $owner }) { totalCount } }', { owner: name }, stack.admin.headers);
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  return result.data?.devices.totalCount ?? -1;
}

async function firstOrderUserByName(): Promise<string | undefined> {
  assert.ok(stack);
  const result = await graphql<{ orders: { edges: { node: { user: { id: string } } }[] } }>(stack.gatewayUrl, '{ orders(first: 1, orderBy: { field: USER_NAME, direction: DESC }) { edges { node { user { id } } } } }', {}, stack.admin.headers);
  return result.data?.orders.edges[0]?.node.user.id;
}

test('renaming a user reaches the owner copies in devices and the user copies in billing', async () => {
  assert.ok(stack && owner?.id);
  const owned = dataset.devices.devices.filter((device) => device.userId === owner.id).length;
  const renamed = await graphql(stack.gatewayUrl, 'mutation($id: ID!) { updateUser(id: $id, input: { displayName: "Zzz Renamed Owner" }) { version } }', { id: owner.id }, stack.admin.headers);
  assert.equal(renamed.errors, undefined, JSON.stringify(renamed.errors));
  await eventually(async () => (await devicesOwnedBy('Zzz Renamed')) === owned, 'devices filter by the new owner name');
  await eventually(async () => (await firstOrderUserByName()) === owner.id, 'orders sort by the new user name');
});

function consistencyTargets() {
  assert.ok(stack);
  const url = (name: string) => stack?.subgraphs.get(name)?.url ?? assert.fail(`no ${name} subgraph`);
  return { gatewayUrl: stack.gatewayUrl, devicesUrl: url('devices'), billingUrl: url('billing'), gatewayHeaders: stack.admin.headers, subgraphHeaders };
}

test('consistency:check finds every copy equal to its source', async () => {
  await eventually(async () => (await checkConsistency(consistencyTargets())).mismatches.length === 0, 'copies converged');
  const report = await checkConsistency(consistencyTargets());
  assert.deepEqual(report.mismatches, []);
  assert.equal(report.checked.devices, dataset.devices.devices.length);
  assert.equal(report.checked.orders, dataset.billing.orders.length);
  assert.equal(report.checked.nodes, dataset.devices.nodes.length);
  assert.equal(report.checked.placements, dataset.devices.devices.filter((device) => device.nodeId !== null && device.status !== 'DELETED').length);
});

test("consistency:check reports a device whose scheduler allocation is gone", async (context) => {
  assert.ok(stack);
  const target = stack.databases['scheduler'];
  if (target?.kind !== 'postgres') return context.skip('the embedded databases live inside the stack; corrupting one needs PostgreSQL');
  const device = dataset.devices.devices.find((candidate) => candidate.status === 'STOPPED' && candidate.nodeId !== null);
  assert.ok(device?.id);
  const sql = postgres(target.url, { max: 1 });
  try {
    await sql`update allocations set status = 'EXPIRED' where device_id = ${device.id}`;
    const report = await checkConsistency(consistencyTargets());
    assert.deepEqual(report.mismatches, [{ copy: 'scheduler.allocation', id: device.id, field: 'status', expected: 'ALLOCATED', actual: 'EXPIRED' }]);
    await sql`update allocations set status = 'ALLOCATED' where device_id = ${device.id}`;
    assert.deepEqual((await checkConsistency(consistencyTargets())).mismatches, []);
  } finally {
    await sql.end();
  }
});

test('consistency:check reports a copy corrupted by hand', async (context) => {
  assert.ok(stack);
  const target = stack.databases['devices'];
  if (target?.kind !== 'postgres') return context.skip('the embedded databases live inside the stack; corrupting one needs PostgreSQL');
  const device = dataset.devices.devices[0];
  assert.ok(device?.id);
  const sql = postgres(target.url, { max: 1 });
  try {
    await sql`update devices set owner_email = 'corrupted@example.com' where id = ${device.id}`;
    const report = await checkConsistency(consistencyTargets());
    assert.deepEqual(report.mismatches, [{ copy: 'devices.owner', id: device.id, field: 'email', expected: device.ownerEmail, actual: 'corrupted@example.com' }]);
    await sql`update devices set owner_email = ${device.ownerEmail} where id = ${device.id}`;
    assert.deepEqual((await checkConsistency(consistencyTargets())).mismatches, []);
  } finally {
    await sql.end();
  }
});

test('out-of-order user.updated versions: the newest wins', async () => {
  assert.ok(stack && publisher && owner?.id);
  const owned = dataset.devices.devices.filter((device) => device.userId === owner.id).length;
  // Version 9 first, then an older 7 that arrives late.
  await publisher.publish(userUpdated(owner.id, 9, 'Newest Name'));
  await publisher.publish(userUpdated(owner.id, 7, 'Stale Name'));
  await eventually(async () => (await devicesOwnedBy('Newest Name')) === owned, 'the newest version applied');
  // Give the stale event every chance to land, then check it changed nothing.
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(await devicesOwnedBy('Stale Name'), 0);
  assert.equal(await devicesOwnedBy('Newest Name'), owned);
});
