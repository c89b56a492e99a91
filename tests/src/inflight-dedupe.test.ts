import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { graphql } from '@cloudphone/testing';
import { buildDemoDataset } from '@cloudphone/tools';
import { DEVICE_LIST_PAGE, type DeviceListData } from '@cloudphone/tools/bench/pages/device-list-page';
import { type SignedIn, signIn } from './support/auth.js';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

// The gateway shares one subgraph fetch between identical reads in flight of the same caller, and only theirs.
let stack: TestStack | undefined;
let owner: SignedIn | undefined;

before(async () => {
  // Statements are counted per subgraph: billing's background sweeps are slowed down so that they are not counted.
  Object.assign(process.env, { SAGA_POLL_MS: '60000', ORDER_EXPIRY_INTERVAL_MS: '3600000' });
  stack = await startTestStack(await preferredKind(), { ...buildDemoDataset() });
  assert.ok(stack);
  owner = await signIn(stack, 'USER');
  const created = await graphql(stack.gatewayUrl, 'mutation($input: CreateDeviceInput!) { createDevice(input: $input) { id } }', {
    input: { userId: owner.userId, name: 'own phone', provider: 'REDROID', spec: { cpuCores: 2, memoryMb: 4096, storageGb: 32 }, androidVersion: '13' },
  }, owner.headers);
  assert.equal(created.errors, undefined, JSON.stringify(created.errors));
});
after(async () => {
  await stack?.close();
});

function running(): TestStack {
  assert.ok(stack);
  return stack;
}

const page = (headers: Record<string, string>) => graphql<DeviceListData>(running().gatewayUrl, DEVICE_LIST_PAGE, { first: 20 }, headers);

async function devicesStatements(): Promise<number> {
  return (await running().subgraphs.get('devices')?.statements()) ?? 0;
}

test('20 identical page reads at once by one caller cost the devices subgraph fewer statements than 20 reads one by one, with equal answers', async () => {
  const { admin } = running();
  await page(admin.headers);
  const before = await devicesStatements();
  const alone = await page(admin.headers);
  const perRead = (await devicesStatements()) - before;
  assert.ok(perRead > 0);

  const start = await devicesStatements();
  const together = await Promise.all(Array.from({ length: 20 }, () => page(admin.headers)));
  const spent = (await devicesStatements()) - start;
  for (const answer of together) assert.deepEqual(answer, alone);
  console.log(`# devices statements: ${perRead} per read alone, ${spent} for 20 reads at once`);
  assert.ok(spent < 20 * perRead, `20 reads at once sent ${spent} statements, as many as 20 reads alone (${20 * perRead})`);
});

test("reads of different callers at once are never shared: each gets what it may see", async () => {
  const { admin } = running();
  assert.ok(owner);
  const answers = await Promise.all(Array.from({ length: 10 }, (_, index) => page(index % 2 === 0 ? admin.headers : (owner as SignedIn).headers)));
  for (const [index, answer] of answers.entries()) {
    // A USER may not read nodes (node:read): its page answers `node` with FORBIDDEN, and the rest of its data.
    const unexpected = (answer.errors ?? []).filter((error) => !(index % 2 === 1 && error.extensions?.['code'] === 'FORBIDDEN' && error.path?.at(-1) === 'node'));
    assert.deepEqual(unexpected, [], JSON.stringify(answer.errors));
    const owners = new Set(answer.data?.devices.edges.map((edge) => edge.node.user.id));
    if (index % 2 === 0) assert.ok(owners.size > 1, "the admin's page holds many owners' devices");
    else assert.deepEqual([...owners], [owner.userId], 'the user sees its own device only');
  }
});

test('a read after a write by the same caller sees the write, even with identical reads in flight', async () => {
  assert.ok(owner);
  const headers = owner.headers;
  const deviceId = (await page(headers)).data?.devices.edges[0]?.node.id;
  assert.ok(deviceId);
  // Reads in flight while the rename is sent; the read after its answer must not join them.
  const inFlight = Array.from({ length: 5 }, () => page(headers));
  const renamed = await graphql(running().gatewayUrl, 'mutation($id: ID!, $input: UpdateDeviceInput!) { updateDevice(id: $id, input: $input) { name } }', { id: deviceId, input: { name: 'renamed phone' } }, headers);
  assert.equal(renamed.errors, undefined, JSON.stringify(renamed.errors));
  const afterwards = await page(headers);
  assert.equal(afterwards.data?.devices.edges[0]?.node.name, 'renamed phone');
  await Promise.all(inFlight);
});
