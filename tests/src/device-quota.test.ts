import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type GraphQLResult, graphql } from '@cloudphone/testing';
import postgres from 'postgres';
import { createTenant, signIn } from './support/auth.js';
import { eventually } from './support/events.js';
import { cluster, nodeView } from './support/nodes.js';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

let stack: TestStack | undefined;
let tenantId = '';

before(async () => {
  stack = await startTestStack(await preferredKind(), null);
  assert.ok(stack);
  tenantId = await createTenant(stack);
});
after(async () => {
  await stack?.close();
});

function running(): TestStack {
  assert.ok(stack);
  return stack;
}

function call<T>(query: string, variables: Record<string, unknown> = {}, headers = running().admin.headers): Promise<GraphQLResult<T>> {
  return graphql<T>(running().gatewayUrl, query, variables, headers);
}

async function newUser(): Promise<string> {
  const name = `quota-${randomUUID().slice(0, 8)}`;
  const created = await call<{ createUser: { id: string } }>(
    'mutation($tenant: ID!, $name: String!, $email: String!) { createUser(input: { tenantId: $tenant, username: $name, email: $email, displayName: $name }) { id } }',
    { tenant: tenantId, name, email: `${name}@example.com` },
  );
  assert.equal(created.errors, undefined, JSON.stringify(created.errors));
  assert.ok(created.data);
  return created.data.createUser.id;
}

interface Quota {
  maxDevices: number;
  maxRunningDevices: number;
  maxCpuCores: number;
  maxMemoryMb: number;
  maxStorageGb: number;
  status: string;
}

const SET_QUOTA = 'mutation($user: ID!, $input: SetUserQuotaInput!) { setUserQuota(userId: $user, input: $input) { id quota { maxDevices maxRunningDevices maxCpuCores maxMemoryMb maxStorageGb status } } }';

function setQuota(userId: string, input: Partial<Quota>, headers = running().admin.headers) {
  return call<{ setUserQuota: { id: string; quota: Quota } }>(SET_QUOTA, { user: userId, input }, headers);
}

const CREATE = 'mutation($input: CreateDeviceInput!) { createDevice(input: $input) { id status } }';

function create(userId: string, pool: string, name = `q-${randomUUID().slice(0, 6)}`) {
  return call<{ createDevice: { id: string; status: string } }>(CREATE, {
    input: { userId, name, provider: 'REDROID', spec: { cpuCores: 2, memoryMb: 2048, storageGb: 16 }, androidVersion: '13', placement: { labels: [{ key: 'pool', value: pool }] } },
  });
}

/** Devices of a user, counted by the devices subgraph alone (the users subgraph may be down). */
async function deviceCount(userId: string): Promise<number> {
  const result = await call<{ devices: { totalCount: number } }>('query($user: ID!) { devices(filter: { userId: $user }) { totalCount } }', { user: userId });
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  return result.data?.devices.totalCount ?? -1;
}

async function allocatedSlots(nodeId: string): Promise<number> {
  return (await nodeView(running(), nodeId)).resources?.deviceSlots.allocated ?? -1;
}

function quotaError(result: GraphQLResult<unknown>) {
  const error = result.errors?.[0];
  assert.equal(error?.extensions?.code, 'QUOTA_EXCEEDED', JSON.stringify(result.errors));
  return error?.extensions ?? {};
}

/** Runs a query on a subgraph's database (PostgreSQL runs only: reachable from here); undefined on PGlite. */
async function onDatabase<T>(subgraph: string, query: (sql: postgres.Sql) => Promise<T>): Promise<T | undefined> {
  const target = running().databases[subgraph];
  if (target?.kind !== 'postgres') return undefined;
  const sql = postgres(target.url, { max: 1 });
  try {
    return await query(sql);
  } finally {
    await sql.end();
  }
}

test('a user at maxDevices gets QUOTA_EXCEEDED naming the limit; nothing is written or reserved; the refusal reaches the user as a notification', async () => {
  const { pool, nodeIds } = await cluster(running(), [10]);
  const nodeId = nodeIds[0] ?? '';
  const userId = await newUser();
  const defaults = await call<{ user: { quota: Quota; quotaUsage: { devices: number } } }>('query($id: ID!) { user(id: $id) { quota { maxDevices status } quotaUsage { devices } } }', { id: userId });
  assert.equal(defaults.errors, undefined, JSON.stringify(defaults.errors));
  assert.deepEqual([defaults.data?.user.quota.maxDevices, defaults.data?.user.quota.status, defaults.data?.user.quotaUsage.devices], [20, 'ACTIVE', 0], 'a new user starts with the default quota');

  const set = await setQuota(userId, { maxDevices: 2 });
  assert.equal(set.errors, undefined, JSON.stringify(set.errors));
  assert.equal(set.data?.setUserQuota.quota.maxDevices, 2);
  assert.equal(set.data?.setUserQuota.quota.maxRunningDevices, 15, 'omitted limits stay');
  for (const name of ['first', 'second']) {
    const created = await create(userId, pool, name);
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
  }

  const refused = await create(userId, pool, 'third');
  assert.equal(refused.data ?? null, null);
  const extensions = quotaError(refused);
  assert.deepEqual([extensions['limit'], extensions['max'], extensions['requested']], ['maxDevices', 2, 3]);
  assert.equal(await deviceCount(userId), 2, 'no device written');
  assert.equal(await allocatedSlots(nodeId), 2, 'no capacity reserved');

  // The other limits are named the same way: two 2-core devices held, a third core over 5 is maxCpuCores.
  await setQuota(userId, { maxDevices: 10, maxCpuCores: 5 });
  const cpu = quotaError(await create(userId, pool));
  assert.deepEqual([cpu['limit'], cpu['max'], cpu['requested']], ['maxCpuCores', 5, 6]);

  const usage = await call<{ user: { quotaUsage: Record<string, number> } }>('query($id: ID!) { user(id: $id) { quotaUsage { devices runningDevices cpuCores memoryMb storageGb } } }', { id: userId });
  assert.deepEqual(usage.data?.user.quotaUsage, { devices: 2, runningDevices: 2, cpuCores: 4, memoryMb: 4096, storageGb: 32 });

  // quota.exceeded -> notifications: the user is told.
  await eventually(async () => {
    const notices = await call<{ user: { notifications: { edges: { node: { type: string } }[] } } }>('query($id: ID!) { user(id: $id) { notifications(first: 10) { edges { node { type } } } } }', { id: userId });
    return (notices.data?.user.notifications.edges ?? []).filter((edge) => edge.node.type === 'QUOTA_EXCEEDED').length === 2;
  }, 'both refusals became QUOTA_EXCEEDED notifications');

  const audit = await onDatabase('users', (sql) => sql<{ action: string; summary: Record<string, unknown> }[]>`select action, summary from audit_log where actor_user_id = ${running().admin.userId} order by created_at, id`);
  if (audit) {
    const changes = audit.filter((entry) => entry.action === 'quota.changed');
    assert.equal(changes.length, 2);
    assert.deepEqual([changes[0]?.summary['before.maxDevices'], changes[0]?.summary['after.maxDevices']], [20, 2]);
  }
});

test('10 concurrent creates against a quota of 3 devices: exactly 3 succeed, the others are QUOTA_EXCEEDED and hold no capacity', async (t) => {
  const { pool, nodeIds } = await cluster(running(), [20]);
  const userId = await newUser();
  const set = await setQuota(userId, { maxDevices: 3 });
  assert.equal(set.errors, undefined, JSON.stringify(set.errors));

  const results = await Promise.all(Array.from({ length: 10 }, (_, index) => create(userId, pool, `rush-${index}`)));
  const created = results.filter((result) => result.data?.createDevice);
  assert.equal(created.length, 3, JSON.stringify(results.map((result) => result.errors?.[0]?.extensions?.code ?? 'ok')));
  for (const result of results.filter((each) => !each.data?.createDevice)) assert.equal(quotaError(result)['limit'], 'maxDevices');
  assert.equal(await deviceCount(userId), 3);
  // Refused after their reservation, the losers gave it back before answering.
  assert.equal(await allocatedSlots(nodeIds[0] ?? ''), 3);
  const allocations = await onDatabase('scheduler', (sql) => sql<{ status: string; count: number }[]>`select status, count(*)::int as count from allocations where user_id = ${userId} group by status order by status`);
  if (allocations) {
    assert.equal(allocations.find((row) => row.status === 'ALLOCATED')?.count, 3);
    // How many lost at the insert (reserved, then released) rather than at the cheap check before reserving.
    t.diagnostic(`allocations by status: ${JSON.stringify(allocations)}`);
  }
});

test('startDevice over maxRunningDevices is QUOTA_EXCEEDED; a STOPPED device holds no running slot', async () => {
  const { pool } = await cluster(running(), [10]);
  const userId = await newUser();
  const ids: string[] = [];
  for (const name of ['a', 'b']) {
    const created = await create(userId, pool, name);
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    ids.push(created.data?.createDevice.id ?? '');
  }
  const status = async (id: string) => (await call<{ device: { status: string } }>('query($id: ID!) { device(id: $id) { status } }', { id })).data?.device.status;
  await eventually(async () => (await Promise.all(ids.map(status))).every((each) => each === 'RUNNING'), 'both devices provisioned');
  const change = (mutation: 'startDevice' | 'stopDevice', id: string) => call<Record<string, { status: string }>>(`mutation($id: ID!) { ${mutation}(id: $id) { status } }`, { id });
  for (const id of ids) assert.equal((await change('stopDevice', id)).data?.['stopDevice']?.status, 'STOPPED');

  await setQuota(userId, { maxRunningDevices: 1 });
  const [first = '', second = ''] = ids;
  assert.equal((await change('startDevice', first)).data?.['startDevice']?.status, 'RUNNING');
  const refused = quotaError(await change('startDevice', second));
  assert.deepEqual([refused['limit'], refused['max'], refused['requested']], ['maxRunningDevices', 1, 2]);
  assert.equal(await status(second), 'STOPPED');
  // A new device would run too: refused for the same limit.
  assert.equal(quotaError(await create(userId, pool))['limit'], 'maxRunningDevices');

  assert.equal((await change('stopDevice', first)).data?.['stopDevice']?.status, 'STOPPED');
  assert.equal((await change('startDevice', second)).data?.['startDevice']?.status, 'RUNNING');

  await setQuota(userId, { status: 'SUSPENDED' });
  const suspended = quotaError(await change('startDevice', first));
  assert.equal(suspended['limit'], 'status');
});

test("an ADMIN changes the quotas of its tenant's users, not another tenant's; a USER cannot raise its own", async () => {
  const tenant = await createTenant(running());
  const admin = await signIn(running(), 'ADMIN', { tenantId: tenant });
  const user = await signIn(running(), 'USER', { tenantId: tenant });
  const stranger = await signIn(running(), 'USER');

  const raised = await setQuota(user.userId, { maxDevices: 40, maxRunningDevices: 30 }, admin.headers);
  assert.equal(raised.errors, undefined, JSON.stringify(raised.errors));
  assert.deepEqual([raised.data?.setUserQuota.quota.maxDevices, raised.data?.setUserQuota.quota.maxRunningDevices], [40, 30]);

  const foreign = await setQuota(stranger.userId, { maxDevices: 40 }, admin.headers);
  assert.equal(foreign.errors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(foreign.errors));
  const own = await setQuota(user.userId, { maxDevices: 1000 }, user.headers);
  assert.equal(own.errors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(own.errors));
  const invalid = await setQuota(user.userId, { maxDevices: -1 }, admin.headers);
  assert.equal(invalid.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(invalid.errors));

  // quotaOf is service to service: not in the API the gateway serves.
  const internal = await call(`query($id: ID!) { quotaOf(userId: $id) { maxDevices } }`, { id: user.userId }, admin.headers);
  assert.equal(internal.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED', JSON.stringify(internal.errors));

  // The user reads its own quota and usage (the dashboard's view).
  const mine = await call<{ me: { quota: Quota; quotaUsage: { devices: number } } }>('{ me { quota { maxDevices } quotaUsage { devices } } }', {}, user.headers);
  assert.equal(mine.errors, undefined, JSON.stringify(mine.errors));
  assert.deepEqual([mine.data?.me.quota.maxDevices, mine.data?.me.quotaUsage.devices], [40, 0]);
});

// Last: it stops the users subgraph.
test('with the users subgraph down, createDevice fails closed: SERVICE_UNAVAILABLE, nothing written or reserved', async () => {
  const { pool, nodeIds } = await cluster(running(), [5]);
  const userId = await newUser();
  await running().stopSubgraph('users');
  const result = await create(userId, pool, 'unchecked');
  assert.equal(result.errors?.[0]?.extensions?.code, 'SERVICE_UNAVAILABLE', JSON.stringify(result.errors));
  assert.equal(result.errors?.[0]?.extensions?.service, 'users');
  assert.equal(await deviceCount(userId), 0);
  assert.equal(await allocatedSlots(nodeIds[0] ?? ''), 0);
});
