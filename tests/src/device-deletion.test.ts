import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type EventEnvelope, type EventTransport, type Subscription, createEnvelope, createTransport } from '@cloudphone/events';
import { type GraphQLResult, graphql, realRabbitMq } from '@cloudphone/testing';
import { type SignedIn, signIn } from './support/auth.js';
import { eventually } from './support/events.js';
import { cluster, nodeView } from './support/nodes.js';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

// The deletion saga: deleteDevice soft-deletes at once; on device.deleted the devices subgraph tears the
// phone down at the provider and the scheduler releases the allocation, each once however often the
// event arrives.

let stack: TestStack | undefined;
let publisher: EventTransport | undefined;
let owner: SignedIn | undefined;
/** Every device.deleted the stack publishes, as it was published (a test consumer's own queue). */
const deletions: EventEnvelope<'device.deleted'>[] = [];
let capture: Subscription | undefined;
/** Versions of the owner's user.updated this test publishes: above any the users subgraph wrote. */
let ownerVersion = 1_000_000;

before(async () => {
  stack = await startTestStack(await preferredKind(), null, {}, { amqpUrl: await realRabbitMq(), retry: { maxAttempts: 5, baseMs: 50, factor: 2 } });
  assert.ok(stack);
  publisher = createTransport({ amqpUrl: stack.events.amqpUrl, namespace: stack.events.namespace });
  capture = await publisher.consume({ consumer: `deletion-test-${randomUUID().slice(0, 8)}`, keys: ['device.deleted'] }, async (envelope) => {
    if (envelope.type === 'device.deleted') deletions.push(envelope);
  });
  owner = await signIn(stack, 'USER');
});
after(async () => {
  await capture?.cancel();
  await publisher?.close();
  await stack?.close();
});

function running(): TestStack {
  assert.ok(stack);
  return stack;
}

function call<T>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResult<T>> {
  return graphql<T>(running().gatewayUrl, query, variables, running().admin.headers);
}

interface DeviceState {
  status: string;
  version: number;
  tornDownAt: string | null;
  allocation: { status: string; releasedAt: string | null } | null;
}

const STATE = 'id status version tornDownAt allocation { status releasedAt }';

async function state(id: string): Promise<DeviceState> {
  const result = await call<{ device: DeviceState }>(`query($id: ID!) { device(id: $id) { ${STATE} } }`, { id });
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  assert.ok(result.data?.device);
  return result.data.device;
}

/** A device of the owner on a one-slot node of its own. */
async function placedDevice(name: string): Promise<{ id: string; nodeId: string }> {
  assert.ok(owner);
  const { pool, nodeIds } = await cluster(running(), [1]);
  const created = await call<{ createDevice: { id: string; status: string } }>('mutation($input: CreateDeviceInput!) { createDevice(input: $input) { id status } }', {
    input: { userId: owner.userId, name, provider: 'REDROID', spec: { cpuCores: 2, memoryMb: 2048, storageGb: 16 }, androidVersion: '13', placement: { labels: [{ key: 'pool', value: pool }] } },
  });
  assert.equal(created.errors, undefined, JSON.stringify(created.errors));
  assert.ok(created.data);
  const [nodeId] = nodeIds;
  assert.ok(nodeId);
  return { id: created.data.createDevice.id, nodeId };
}

const deletionsOf = (deviceId: string) => deletions.filter((envelope) => envelope.data.deviceId === deviceId);

const freeSlots = async (nodeId: string) => (await nodeView(running(), nodeId)).resources?.deviceSlots.free;

function deleteDevice(id: string) {
  return call<{ deleteDevice: { status: string; version: number; tornDownAt: string | null } }>('mutation($id: ID!) { deleteDevice(id: $id) { status version tornDownAt } }', { id });
}

/**
 * Waits until the devices subgraph has taken every event published before
 * now: a user.updated renaming the owner's copies, published last, has
 * reached its devices.
 */
async function devicesConsumerCaughtUp(userId: string, tenantId: string): Promise<void> {
  assert.ok(publisher);
  const name = `caught-up-${randomUUID().slice(0, 8)}`;
  await publisher.publish(createEnvelope('user.updated', { userId, tenantId, username: name, email: `${name}@example.com`, displayName: name, status: 'ACTIVE', version: (ownerVersion += 1) }, { source: 'deletion-test' }));
  await eventually(async () => ((await call<{ devices: { totalCount: number } }>('query($owner: String!) { devices(filter: { owner: $owner }) { totalCount } }', { owner: name })).data?.devices.totalCount ?? 0) > 0, 'the devices consumer took the user.updated published after the duplicates');
}

test('deleting a RUNNING device: DELETED at once, then its allocation is released and its phone torn down, once, even when device.deleted arrives again', async () => {
  assert.ok(publisher && owner);
  const device = await placedDevice('to-delete');
  await eventually(async () => (await state(device.id)).status === 'RUNNING', 'the device is provisioned', 15_000);
  assert.equal(await freeSlots(device.nodeId), 0);
  assert.equal((await state(device.id)).tornDownAt, null, 'a running phone is not torn down');

  const deleted = await deleteDevice(device.id);
  assert.equal(deleted.errors, undefined, JSON.stringify(deleted.errors));
  assert.equal(deleted.data?.deleteDevice.status, 'DELETED', 'soft-deleted in the mutation itself');

  await eventually(async () => (await state(device.id)).tornDownAt !== null, 'the phone is torn down at the provider');
  await eventually(async () => (await state(device.id)).allocation?.status === 'RELEASED', 'the scheduler released the allocation');
  await eventually(async () => (await freeSlots(device.nodeId)) === 1, 'the node has its slot back');
  const done = await state(device.id);
  assert.ok(done.allocation?.releasedAt);

  // The same event delivered again (twice, as published), and once more as a new event with the same payload.
  await eventually(() => deletionsOf(device.id).length > 0, 'the test consumer saw device.deleted');
  const [original] = deletionsOf(device.id);
  assert.ok(original);
  await publisher.publish(original);
  await publisher.publish(original);
  await publisher.publish(createEnvelope('device.deleted', original.data, { source: 'devices' }, { tenantId: original.tenantId, userId: original.userId }));
  await devicesConsumerCaughtUp(owner.userId, owner.tenantId);
  await new Promise((resolve) => setTimeout(resolve, 500));

  const after = await state(device.id);
  assert.deepEqual(after, done, 'torn down once: the teardown record, the version and the released allocation are as they were');
  assert.equal(await freeSlots(device.nodeId), 1, 'the slot is not given back twice');
});

test('deleting a device twice changes nothing the second time', async () => {
  const device = await placedDevice('delete-twice');
  // Provisioned first: a phone that comes up after the delete reopens the teardown (the next test covers that race).
  await eventually(async () => (await state(device.id)).status === 'RUNNING', 'the device is provisioned', 15_000);
  const first = await deleteDevice(device.id);
  assert.equal(first.data?.deleteDevice.status, 'DELETED', JSON.stringify(first.errors));
  await eventually(async () => (await state(device.id)).tornDownAt !== null && (await freeSlots(device.nodeId)) === 1, 'the deletion saga finished');
  const done = await state(device.id);

  const again = await deleteDevice(device.id);
  assert.equal(again.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  assert.match(again.errors?.[0]?.message ?? '', /DELETED device cannot become DELETED/);
  const batch = await call<{ deleteDevices: { id: string; device: { status: string } | null; error: { code: string } | null }[] }>(
    'mutation($ids: [ID!]!) { deleteDevices(ids: $ids) { id device { status } error { code } } }',
    { ids: [device.id] },
  );
  assert.deepEqual(batch.data?.deleteDevices, [{ id: device.id, device: null, error: { code: 'BAD_USER_INPUT' } }], JSON.stringify(batch.errors));
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(await state(device.id), done);
  assert.equal(await freeSlots(device.nodeId), 1);
  assert.equal(deletionsOf(device.id).length, 1, 'one device.deleted, for the one deletion');
});

test('a device deleted while it is still being provisioned ends DELETED with its phone torn down and its slot free', async () => {
  const device = await placedDevice('deleted-while-creating');
  const deleted = await deleteDevice(device.id);
  assert.equal(deleted.data?.deleteDevice.status, 'DELETED', JSON.stringify(deleted.errors));
  await eventually(async () => (await state(device.id)).tornDownAt !== null && (await freeSlots(device.nodeId)) === 1, 'the deletion saga finished');
  // Provisioning (1 s in the simulated provider) finishes after the delete: it neither revives the device nor leaves its phone up.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const after = await state(device.id);
  assert.equal(after.status, 'DELETED');
  assert.ok(after.tornDownAt);
  assert.equal(after.allocation?.status, 'RELEASED');
});
