import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { IDENTITY_HEADER, IdentityAssertions, principalFromClaims } from '@cloudphone/identity';
import { type GraphQLResult, graphql } from '@cloudphone/testing';
import postgres from 'postgres';
import { createTenant, serviceHeaders } from './support/auth.js';
import { eventually } from './support/events.js';
import { cluster, nodeView } from './support/nodes.js';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

// billing's purchase saga creates the device it sold under an id it chose, and undoes that on compensation:
// createOrderedDevice / deleteOrderedDevice, service-only (@inaccessible), idempotent by that id.

let stack: TestStack | undefined;
let tenantId = '';
/** The stack's only node (the stack has no seed): every ordered device is placed on it. */
let nodeId = '';
let asBilling: Record<string, string> = {};

before(async () => {
  stack = await startTestStack(await preferredKind(), null);
  assert.ok(stack);
  tenantId = await createTenant(stack);
  nodeId = (await cluster(stack, [50])).nodeIds[0] ?? '';
  asBilling = await serviceHeaders(stack, 'billing');
});
after(async () => {
  await stack?.close();
});

function running(): TestStack {
  assert.ok(stack);
  return stack;
}

function devicesSubgraph(): string {
  const url = running().subgraphUrls['devices'];
  assert.ok(url, 'the stack has a devices subgraph');
  return url;
}

const DEVICE = 'id userId name status provider androidVersion version spec { cpuCores memoryMb storageGb }';

interface OrderedDevice {
  id: string;
  userId: string;
  name: string;
  status: string;
  provider: string;
  androidVersion: string;
  version: number;
  spec: { cpuCores: number; memoryMb: number; storageGb: number };
}

const CREATE = `mutation($input: OrderedDeviceInput!) { createOrderedDevice(input: $input) { ${DEVICE} } }`;
const DELETE = `mutation($id: ID!) { deleteOrderedDevice(id: $id) { ${DEVICE} } }`;

function order(userId: string, id: string = randomUUID()) {
  return { id, userId, orderId: randomUUID(), name: `bought-${id.slice(0, 6)}`, cpuCores: 2, memoryMb: 2048, storageGb: 16 };
}

function createOrdered(input: ReturnType<typeof order>, headers = asBilling) {
  return graphql<{ createOrderedDevice: OrderedDevice }>(devicesSubgraph(), CREATE, { input }, headers);
}

function deleteOrdered(id: string, headers = asBilling) {
  return graphql<{ deleteOrderedDevice: OrderedDevice | null }>(devicesSubgraph(), DELETE, { id }, headers);
}

function ok<T>(result: GraphQLResult<T>): T {
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  assert.ok(result.data);
  return result.data;
}

function codeOf(result: GraphQLResult<unknown>): unknown {
  return result.errors?.[0]?.extensions?.code;
}

/** Through the gateway, as the stack's SUPER_ADMIN. */
function call<T>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResult<T>> {
  return graphql<T>(running().gatewayUrl, query, variables, running().admin.headers);
}

async function newUser(): Promise<string> {
  const name = `buyer-${randomUUID().slice(0, 8)}`;
  return ok(
    await call<{ createUser: { id: string } }>(
      'mutation($tenant: ID!, $name: String!, $email: String!) { createUser(input: { tenantId: $tenant, username: $name, email: $email, displayName: $name }) { id } }',
      { tenant: tenantId, name, email: `${name}@example.com` },
    ),
  ).createUser.id;
}

async function deviceCount(userId: string): Promise<number> {
  return ok(await call<{ devices: { totalCount: number } }>('query($user: ID!) { devices(filter: { userId: $user }) { totalCount } }', { user: userId })).devices.totalCount;
}

/** The scheduler's latest allocation of a device (Device.allocation), null when it never had one. */
async function allocationOf(id: string): Promise<{ status: string; node: { id: string } } | null | undefined> {
  return ok(await call<{ device: { allocation: { status: string; node: { id: string } } | null } | null }>('query($id: ID!) { device(id: $id) { allocation { status node { id } } } }', { id })).device?.allocation;
}

async function allocatedSlots(): Promise<number> {
  return (await nodeView(running(), nodeId)).resources?.deviceSlots.allocated ?? -1;
}

/** The scheduler's allocation rows of a device by status (PostgreSQL runs only: reachable from here); undefined on PGlite. */
async function allocationRows(deviceId: string): Promise<Record<string, number> | undefined> {
  const target = running().databases['scheduler'];
  if (target?.kind !== 'postgres') return undefined;
  const sql = postgres(target.url, { max: 1 });
  try {
    const rows = await sql<{ status: string; count: number }[]>`select status, count(*)::int as count from allocations where device_id = ${deviceId} group by status`;
    return Object.fromEntries(rows.map((row) => [row.status, row.count]));
  } finally {
    await sql.end();
  }
}

test('created twice with the same id: one device, one allocation; the retry returns the device as it is', async () => {
  const userId = await newUser();
  const slots = await allocatedSlots();
  const input = order(userId);
  const first = ok(await createOrdered(input)).createOrderedDevice;
  assert.equal(first.id, input.id, "the device takes billing's id");
  assert.deepEqual(
    [first.userId, first.name, first.status, first.provider, first.androidVersion, first.spec],
    [userId, input.name, 'CREATING', 'REDROID', '13', { cpuCores: 2, memoryMb: 2048, storageGb: 16 }],
    'created as createDevice does: CREATING, on the default provider and Android version',
  );
  // Provisioning follows device.created as for any device.
  await eventually(async () => ok(await call<{ device: { status: string } }>('query($id: ID!) { device(id: $id) { status } }', { id: input.id })).device.status === 'RUNNING', 'the device was provisioned');

  const again = ok(await createOrdered({ ...input, orderId: randomUUID(), name: 'renamed on retry' })).createOrderedDevice;
  assert.equal(again.id, input.id);
  assert.equal(again.name, input.name, 'the retry changes nothing');
  assert.equal(again.status, 'RUNNING', 'the retry returns the device as it is now');
  assert.equal(await deviceCount(userId), 1);
  assert.equal(await allocatedSlots(), slots + 1, 'one slot taken');
  assert.deepEqual(await allocationOf(input.id), { status: 'ALLOCATED', node: { id: nodeId } });
  const rows = await allocationRows(input.id);
  if (rows) assert.deepEqual(rows, { ALLOCATED: 1 });

  // The same id for another user is not this purchase: refused, the device stays its owner's.
  const other = await newUser();
  const stolen = await createOrdered({ ...input, userId: other });
  assert.equal(codeOf(stolen), 'BAD_USER_INPUT', JSON.stringify(stolen.errors));
  assert.equal(await deviceCount(other), 0);
});

test('concurrent creates with the same id, at the quota limit: one device, one reservation; every call answers with that device', async () => {
  const userId = await newUser();
  // One device allowed: a loser must find the winner's device under the owner's lock, not count it against its own create.
  ok(await call('mutation($user: ID!) { setUserQuota(userId: $user, input: { maxDevices: 1 }) { id } }', { user: userId }));
  const slots = await allocatedSlots();
  const input = order(userId);
  const results = await Promise.all(Array.from({ length: 6 }, () => createOrdered(input)));
  for (const result of results) assert.equal(ok(result).createOrderedDevice.id, input.id);
  assert.equal(await deviceCount(userId), 1);
  assert.equal(await allocatedSlots(), slots + 1, 'the losers did not release the winner reservation, nor take a second');
  assert.equal((await allocationOf(input.id))?.status, 'ALLOCATED');
  const rows = await allocationRows(input.id);
  if (rows) assert.deepEqual(rows, { ALLOCATED: 1 });
});

test('over quota: QUOTA_EXCEEDED and nothing written or reserved; an unknown user is USER_NOT_FOUND', async () => {
  const userId = await newUser();
  ok(await call('mutation($user: ID!) { setUserQuota(userId: $user, input: { maxDevices: 1 }) { id } }', { user: userId }));
  ok(await createOrdered(order(userId)));
  const slots = await allocatedSlots();
  const over = order(userId);
  const refused = await createOrdered(over);
  assert.equal(codeOf(refused), 'QUOTA_EXCEEDED', JSON.stringify(refused.errors));
  assert.equal(refused.errors?.[0]?.extensions?.['limit'], 'maxDevices');
  assert.equal(await deviceCount(userId), 1);
  assert.equal(await allocatedSlots(), slots, 'no capacity reserved');
  const rows = await allocationRows(over.id);
  if (rows) assert.deepEqual(rows, {});

  const ghost = await createOrdered(order(randomUUID()));
  assert.equal(codeOf(ghost), 'USER_NOT_FOUND', JSON.stringify(ghost.errors));
  assert.equal(await allocatedSlots(), slots);
});

test('only billing calls them: a user identity (even SUPER_ADMIN) or another service is FORBIDDEN; the gateway does not serve them', async () => {
  const userId = await newUser();
  const input = order(userId);
  // The stack's SUPER_ADMIN, signed as if the gateway passed its request on.
  const claims = JSON.parse(Buffer.from(running().admin.accessToken.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
  const admin = principalFromClaims(claims);
  assert.ok(admin && admin.roles.includes('SUPER_ADMIN'));
  const asAdmin = { [IDENTITY_HEADER]: await new IdentityAssertions(running().internalSecret).sign(admin, 'gateway') };
  const asScheduler = await serviceHeaders(running(), 'scheduler');
  for (const [who, headers] of [['SUPER_ADMIN', asAdmin], ['scheduler', asScheduler]] as const) {
    assert.equal(codeOf(await createOrdered(input, headers)), 'FORBIDDEN', `${who} creates`);
    assert.equal(codeOf(await deleteOrdered(input.id, headers)), 'FORBIDDEN', `${who} deletes`);
  }
  assert.equal(codeOf(await graphql(devicesSubgraph(), CREATE, { input }, {})), 'UNAUTHENTICATED', 'no identity at all');
  assert.equal(codeOf(await call(CREATE, { input })), 'GRAPHQL_VALIDATION_FAILED', 'not in the API schema');
  assert.equal(codeOf(await call(DELETE, { id: input.id })), 'GRAPHQL_VALIDATION_FAILED', 'not in the API schema');
  assert.equal(await deviceCount(userId), 0);
});

test('delete: DELETED and its allocation released; again: unchanged; a create retried after it returns the DELETED device', async () => {
  const userId = await newUser();
  const slots = await allocatedSlots();
  const input = order(userId);
  ok(await createOrdered(input));
  assert.equal(await allocatedSlots(), slots + 1);

  const deleted = ok(await deleteOrdered(input.id)).deleteOrderedDevice;
  assert.equal(deleted?.status, 'DELETED');
  // device.deleted -> the scheduler releases the allocation.
  await eventually(async () => (await allocationOf(input.id))?.status === 'RELEASED', 'the allocation was released');
  assert.equal(await allocatedSlots(), slots);

  const again = ok(await deleteOrdered(input.id)).deleteOrderedDevice;
  assert.deepEqual(again, deleted, 'a second delete changes nothing');
  const recreated = ok(await createOrdered(input)).createOrderedDevice;
  assert.deepEqual(recreated, deleted, 'a late create retry finds the DELETED device and reserves nothing');
  assert.equal(await allocatedSlots(), slots);
  const rows = await allocationRows(input.id);
  if (rows) assert.deepEqual(rows, { RELEASED: 1 });
});

test('delete of an id never created: null, and capacity the scheduler reserved for it (a create stopped before its insert) is given back', async () => {
  const unknown = ok(await deleteOrdered(randomUUID())).deleteOrderedDevice;
  assert.equal(unknown, null);

  // A create that reserved capacity for its id and stopped there: the reservation the scheduler holds.
  const userId = await newUser();
  const id = randomUUID();
  const scheduler = running().subgraphUrls['scheduler'];
  assert.ok(scheduler);
  const slots = await allocatedSlots();
  ok(
    await graphql(scheduler, 'mutation($input: ReserveAllocationInput!) { reserveAllocation(input: $input) { id } }', { input: { deviceId: id, userId, tenantId, cpuCores: 2, memoryMb: 2048, storageGb: 16 } }, await serviceHeaders(running(), 'devices')),
  );
  assert.equal(await allocatedSlots(), slots + 1);
  assert.equal(ok(await deleteOrdered(id)).deleteOrderedDevice, null);
  assert.equal(await allocatedSlots(), slots, 'the reservation was released');
  const rows = await allocationRows(id);
  if (rows) assert.deepEqual(rows, { RELEASED: 1 });
  assert.equal(ok(await deleteOrdered(id)).deleteOrderedDevice, null, 'and again: still null');
});
