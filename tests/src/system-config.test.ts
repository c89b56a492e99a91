import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { IDENTITY_HEADER, IdentityAssertions } from '@cloudphone/identity';
import { ServiceCredentials, SubgraphClient } from '@cloudphone/subgraph-kit';
import { RedisConfigStore, type SharedCache, SystemConfigReader, itemKey, openSharedCache } from '@cloudphone/system-config';
import { ownerOverHttp } from '@cloudphone/system-config/nest';
import { type GraphQLResult, graphql, realRedis } from '@cloudphone/testing';
import { buildDemoDataset } from '@cloudphone/tools';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { type SignedIn, signIn } from './support/auth.js';
import { eventually } from './support/events.js';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

const dataset = buildDemoDataset({ tenants: 2, users: 8, devices: 24, applications: 3, orders: 4 });
/** How soon a change must show everywhere: the announcement is pub/sub (or in process), not a poll. */
const PROPAGATION_MS = 1_000;

const DEVICES = 'query { devices(first: 50) { edges { node { id status statusLabel } } } }';
const SET_ENTRY = 'mutation($input: SetDictionaryEntryInput!) { setDictionaryEntry(input: $input) { type code label version } }';
const SET_SETTING = 'mutation($key: String!, $value: JSON!) { setSetting(key: $key, value: $value) { key value version } }';
const SETTING = 'query($key: String!) { setting(key: $key) { key value version } }';
const DICTIONARY = 'query($type: String!) { dictionary(type: $type) { code label sortOrder version } }';

interface DeviceRow {
  id: string;
  status: string;
  statusLabel: string;
}

function call<T>(stack: TestStack, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = stack.admin.headers): Promise<GraphQLResult<T>> {
  return graphql<T>(stack.gatewayUrl, query, variables, headers);
}

async function devices(stack: TestStack): Promise<DeviceRow[]> {
  const result = await call<{ devices: { edges: { node: DeviceRow }[] } }>(stack, DEVICES);
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  assert.ok(result.data);
  return result.data.devices.edges.map((edge) => edge.node);
}

function codeOf(result: GraphQLResult<unknown>): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}

/** Another replica of a reading service: its own memory, its own Redis connections (or the in-process bus), the stack's owner. */
async function replica(stack: TestStack, redisUrl: string | undefined): Promise<{ reader: SystemConfigReader; cache: SharedCache; close(): Promise<void> }> {
  const usersUrl = stack.subgraphUrls['users'];
  assert.ok(usersUrl);
  const errors: unknown[] = [];
  const cache = openSharedCache({ url: redisUrl, namespace: stack.cache.namespace, service: 'tests', onError: (error) => errors.push(error) });
  const credentials = new ServiceCredentials('tests', new IdentityAssertions(stack.internalSecret));
  const reader = new SystemConfigReader({ store: cache.store, bus: cache.bus, owner: ownerOverHttp(new SubgraphClient('users', usersUrl, credentials)), onError: (error) => errors.push(error) });
  await reader.start();
  await eventually(() => reader.stats().live, 'the replica hears changes');
  return {
    reader,
    cache,
    close: async () => {
      await reader.close();
      await cache.close();
      assert.deepEqual(errors, []);
    },
  };
}

/** Relabels the status of the first listed device and waits for the gateway to show it; returns how long that took. */
async function relabelThroughGateway(stack: TestStack, requestId: string): Promise<{ status: string; label: string; version: number; elapsedMs: number }> {
  const [first] = await devices(stack);
  assert.ok(first, 'the dataset has devices');
  const label = `Label ${randomUUID().slice(0, 8)}`;
  const changed = await call<{ setDictionaryEntry: { label: string; version: number } }>(stack, SET_ENTRY, { input: { type: 'DEVICE_STATUS', code: first.status, label } }, { ...stack.admin.headers, 'x-request-id': requestId });
  assert.equal(changed.errors, undefined, JSON.stringify(changed.errors));
  const startedAt = Date.now();
  let rows: DeviceRow[] = [];
  await eventually(
    async () => {
      rows = (await devices(stack)).filter((row) => row.status === first.status);
      return rows.every((row) => row.statusLabel === label);
    },
    `every ${first.status} device shows "${label}"`,
    5_000,
  );
  const elapsedMs = Date.now() - startedAt;
  assert.ok(rows.length > 0);
  return { status: first.status, label, version: changed.data?.setDictionaryEntry.version ?? -1, elapsedMs };
}

async function auditRows(stack: TestStack, requestId: string): Promise<{ action: string; resource_id: string; summary: Record<string, unknown> }[] | undefined> {
  const target = stack.databases['users'];
  if (target?.kind !== 'postgres') return undefined;
  const sql = postgres(target.url, { max: 1, onnotice: () => undefined });
  try {
    return [...(await sql<{ action: string; resource_id: string; summary: Record<string, unknown> }[]>`select action, resource_id, summary from audit_log where request_id = ${requestId} order by created_at`)];
  } finally {
    await sql.end({ timeout: 2 });
  }
}

describe('system configuration with Redis (the production shape)', () => {
  let stack: TestStack | undefined;
  let redisUrl: string | undefined;
  let redis: Redis | undefined;
  let user: SignedIn;

  before(async () => {
    redisUrl = await realRedis();
    if (redisUrl === undefined) return;
    stack = await startTestStack(await preferredKind(), { ...dataset });
    assert.ok(stack);
    redis = new Redis(redisUrl);
    user = await signIn(stack, 'USER', { tenantId: stack.admin.tenantId });
  });
  after(async () => {
    if (redis && stack) {
      const keys = await redis.keys(`${stack.cache.namespace}:config:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
    await stack?.close();
  });

  test('a USER reads settings and dictionaries but cannot change them: FORBIDDEN, nothing written or audited', async (t) => {
    if (!stack) return t.skip('TEST_REDIS_URL is not set');
    const read = await call<{ settings: { key: string; value: unknown }[]; dictionary: { code: string; label: string }[] }>(stack, '{ settings { key value } dictionary(type: "DEVICE_STATUS") { code label } }', {}, user.headers);
    assert.equal(read.errors, undefined, JSON.stringify(read.errors));
    assert.deepEqual(read.data?.settings.find((setting) => setting.key === 'devices.defaultAndroidVersion')?.value, '13');
    assert.deepEqual(read.data?.dictionary.map((entry) => entry.code), ['CREATING', 'RUNNING', 'STOPPED', 'ERROR', 'DELETED']);

    const requestId = `user-${randomUUID()}`;
    const headers = { ...user.headers, 'x-request-id': requestId };
    const setting = await call(stack, SET_SETTING, { key: 'devices.defaultAndroidVersion', value: '9' }, headers);
    assert.equal(codeOf(setting), 'FORBIDDEN');
    const entry = await call(stack, SET_ENTRY, { input: { type: 'DEVICE_STATUS', code: 'RUNNING', label: 'Mine now' } }, headers);
    assert.equal(codeOf(entry), 'FORBIDDEN');

    const after = await call<{ setting: { value: unknown; version: number }; dictionary: { code: string; label: string; version: number }[] }>(stack, '{ setting(key: "devices.defaultAndroidVersion") { value version } dictionary(type: "DEVICE_STATUS") { code label version } }');
    assert.deepEqual(after.data?.setting, { value: '13', version: 1 });
    assert.ok(after.data?.dictionary.every((row) => row.label !== 'Mine now' && row.version === 1));
    const audited = await auditRows(stack, requestId);
    if (audited) assert.deepEqual(audited, []);

    const SNAPSHOT = '{ systemConfigSnapshot(settingKeys: [], dictionaryTypes: ["DEVICE_STATUS"]) { version } }';
    assert.equal(codeOf(await call(stack, SNAPSHOT)), 'GRAPHQL_VALIDATION_FAILED', 'the service-only snapshot is not in the public API, not even for SUPER_ADMIN');
    // A user's identity that reaches the users subgraph itself still may not call it: only services do.
    const usersUrl = stack.subgraphUrls['users'];
    assert.ok(usersUrl);
    const asUser = await new IdentityAssertions(stack.internalSecret).sign(
      { kind: 'user', userId: user.userId, tenantId: user.tenantId, roles: ['USER'], policy: { permissions: ['setting:read'], dataScopes: {}, fieldRules: {} }, credentialId: null, service: null },
      'gateway',
    );
    assert.equal(codeOf(await graphql(usersUrl, SNAPSHOT, {}, { [IDENTITY_HEADER]: asUser })), 'FORBIDDEN');
  });

  test('values of another shape, unknown keys, unknown dictionaries and malformed codes are BAD_USER_INPUT', async (t) => {
    if (!stack) return t.skip('TEST_REDIS_URL is not set');
    const wrongShape = await call(stack, SET_SETTING, { key: 'devices.defaultAndroidVersion', value: 13 });
    assert.equal(codeOf(wrongShape), 'BAD_USER_INPUT');
    assert.equal(wrongShape.errors?.[0]?.extensions?.['field'], 'value');
    const object = await call(stack, 'mutation { setSetting(key: "devices.defaultAndroidVersion", value: { version: "13" }) { version } }');
    assert.equal(codeOf(object), 'BAD_USER_INPUT');
    const unknownKey = await call(stack, SET_SETTING, { key: 'devices.nope', value: '13' });
    assert.equal(codeOf(unknownKey), 'BAD_USER_INPUT');
    assert.equal(unknownKey.errors?.[0]?.extensions?.['field'], 'key');
    assert.equal(codeOf(await call(stack, SET_ENTRY, { input: { type: 'DEVICE_STAUTS', code: 'RUNNING', label: 'Running' } })), 'BAD_USER_INPUT');
    assert.equal(codeOf(await call(stack, SET_ENTRY, { input: { type: 'DEVICE_STATUS', code: 'running', label: 'Running' } })), 'BAD_USER_INPUT');
    assert.equal(codeOf(await call(stack, SET_ENTRY, { input: { type: 'DEVICE_STATUS', code: 'RUNNING', label: '   ' } })), 'BAD_USER_INPUT');
    assert.equal(codeOf(await call(stack, DICTIONARY, { type: 'NOPE' })), 'BAD_USER_INPUT');
    const unchanged = await call<{ setting: { version: number } }>(stack, SETTING, { key: 'devices.defaultAndroidVersion' });
    assert.equal(unchanged.data?.setting.version, 1);
  });

  test('listing devices with their labels reads the dictionary once per process, not per device, and leaves it in Redis', async (t) => {
    if (!stack || !redis) return t.skip('TEST_REDIS_URL is not set');
    const users = stack.subgraphs.get('users');
    assert.ok(users);
    const rows = await devices(stack);
    assert.ok(rows.length >= 20);
    assert.ok(rows.every((row) => row.statusLabel === row.status.charAt(0) + row.status.slice(1).toLowerCase()), JSON.stringify(rows.slice(0, 3)));
    const before = await users.statements();
    await devices(stack);
    await devices(stack);
    assert.equal((await users.statements()) - before, 0, 'warm: the owner is not asked again');
    const stored = JSON.parse((await redis.get(itemKey(stack.cache.namespace, { kind: 'dictionary', name: 'DEVICE_STATUS' }))) ?? 'null') as { version: number; data: { code: string; label: string }[] } | null;
    assert.ok(stored, 'the owner filled Redis when devices missed');
    assert.equal(stored.data.find((entry) => entry.code === 'RUNNING')?.label, 'Running');
    assert.ok((await redis.ttl(itemKey(stack.cache.namespace, { kind: 'dictionary', name: 'DEVICE_STATUS' }))) > 0, 'Redis copies expire');
  });

  test('SUPER_ADMIN relabels a status: the gateway shows it within a second, Redis holds it, another replica hears it, and it is audited', async (t) => {
    if (!stack || !redis || !redisUrl) return t.skip('TEST_REDIS_URL is not set');
    const other = await replica(stack, redisUrl);
    try {
      const before = await other.reader.dictionary('DEVICE_STATUS');
      assert.ok(before.length === 5);
      assert.deepEqual(other.reader.stats(), { memoryHits: 0, redisHits: 1, ownerItems: 0, ownerCalls: 0, invalidations: 0, live: true }, 'a cold replica reads Redis, not the owner');

      const requestId = `relabel-${randomUUID()}`;
      const { status, label, version, elapsedMs } = await relabelThroughGateway(stack, requestId);
      console.log(`# relabel visible through the gateway after ${elapsedMs} ms (Redis)`);
      assert.ok(elapsedMs < PROPAGATION_MS, `took ${elapsedMs} ms`);

      await eventually(async () => (await other.reader.dictionary('DEVICE_STATUS')).find((entry) => entry.code === status)?.label === label, 'the other replica sees the new label', PROPAGATION_MS);
      const stats = other.reader.stats();
      assert.equal(stats.invalidations, 1);
      assert.equal(stats.ownerCalls, 0, 'after the announcement the replica found the new version in Redis');

      const stored = JSON.parse((await redis.get(itemKey(stack.cache.namespace, { kind: 'dictionary', name: 'DEVICE_STATUS' }))) ?? 'null') as { version: number; data: { code: string; label: string }[] };
      assert.equal(stored.version, version);
      assert.equal(stored.data.find((entry) => entry.code === status)?.label, label);

      const audited = await auditRows(stack, requestId);
      if (audited) {
        assert.equal(audited.length, 1);
        assert.equal(audited[0]?.action, 'dictionary.changed');
        assert.equal(audited[0]?.resource_id, `DEVICE_STATUS:${status}`);
        assert.equal(audited[0]?.summary['label'], label);
      }

      // The same entry again changes nothing: no new version, no announcement.
      const again = await call<{ setDictionaryEntry: { version: number } }>(stack, SET_ENTRY, { input: { type: 'DEVICE_STATUS', code: status, label } });
      assert.equal(again.data?.setDictionaryEntry.version, version);
    } finally {
      await other.close();
    }
  });

  test('Redis keeps the newer of two versions whatever order they are written in (a slow fill never undoes a change)', async (t) => {
    if (!redis) return t.skip('TEST_REDIS_URL is not set');
    const namespace = `test-${randomUUID().slice(0, 8)}`;
    const store = new RedisConfigStore(redis, namespace, 60);
    const ref = { kind: 'setting', name: 'devices.defaultAndroidVersion' } as const;
    try {
      assert.equal(await store.put({ ...ref, version: 2, data: '14' }), true);
      assert.equal(await store.put({ ...ref, version: 1, data: '13' }), false);
      assert.equal(await store.put({ ...ref, version: 2, data: '14' }), true, 'the same version again only renews the TTL');
      assert.deepEqual(await store.get([ref, { kind: 'dictionary', name: 'ORDER_STATUS' }]), [{ ...ref, version: 2, data: '14' }, undefined]);
    } finally {
      await redis.del(itemKey(namespace, ref));
    }
  });

  test('a changed setting is what code reads: createDevice without an Android version takes devices.defaultAndroidVersion', async (t) => {
    if (!stack) return t.skip('TEST_REDIS_URL is not set');
    const requestId = `setting-${randomUUID()}`;
    const changed = await call<{ setSetting: { value: unknown; version: number } }>(stack, SET_SETTING, { key: 'devices.defaultAndroidVersion', value: '14' }, { ...stack.admin.headers, 'x-request-id': requestId });
    assert.equal(changed.errors, undefined, JSON.stringify(changed.errors));
    assert.deepEqual(changed.data?.setSetting, { key: 'devices.defaultAndroidVersion', value: '14', version: 2 });
    // devices has not read this setting yet: its first read finds the new value (Redis was written before the mutation answered).
    const created = await call<{ createDevice: { androidVersion: string } }>(stack, 'mutation($input: CreateDeviceInput!) { createDevice(input: $input) { androidVersion } }', {
      input: { userId: stack.admin.userId, name: `default-${randomUUID().slice(0, 6)}`, provider: 'REDROID', spec: { cpuCores: 1, memoryMb: 1024, storageGb: 8 } },
    });
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    assert.equal(created.data?.createDevice.androidVersion, '14');
    const audited = await auditRows(stack, requestId);
    if (audited) assert.deepEqual(audited.map((row) => [row.action, row.resource_id, row.summary['previous'], row.summary['value']]), [['setting.changed', 'devices.defaultAndroidVersion', '"13"', '"14"']]);
  });
});

describe('system configuration without Redis (the embedded stack)', () => {
  let stack: TestStack | undefined;

  before(async () => {
    stack = await startTestStack('pglite', { ...dataset }, {}, {}, { redis: 'none' });
    assert.ok(stack);
  });
  after(async () => {
    await stack?.close();
  });

  test('a relabel reaches every subgraph thread in process: the gateway shows it within a second, and a reader in another thread hears it', async () => {
    assert.ok(stack);
    assert.equal(stack.cache.url, undefined);
    const other = await replica(stack, undefined);
    try {
      await devices(stack);
      assert.equal((await other.reader.dictionary('DEVICE_STATUS')).length, 5);
      const { status, label, elapsedMs } = await relabelThroughGateway(stack, `relabel-${randomUUID()}`);
      console.log(`# relabel visible through the gateway after ${elapsedMs} ms (in process)`);
      assert.ok(elapsedMs < PROPAGATION_MS, `took ${elapsedMs} ms`);
      await eventually(async () => (await other.reader.dictionary('DEVICE_STATUS')).find((entry) => entry.code === status)?.label === label, 'the other reader sees the new label', PROPAGATION_MS);
      assert.equal(other.reader.stats().invalidations, 1);
    } finally {
      await other.close();
    }
  });
});
