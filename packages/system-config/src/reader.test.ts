import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChangeBus, ChangeListener } from './change-bus.js';
import { type ConfigChange, type ConfigItem, type ConfigItemRef, itemId } from './items.js';
import { SystemConfigReader } from './reader.js';
import type { ConfigStore } from './redis-store.js';

const RUNNING = [{ code: 'RUNNING', label: 'Running', sortOrder: 2 }];

/** Redis, the bus and the owner as plain objects that count what they are asked. */
function harness(options: { live?: boolean } = {}) {
  const redis = new Map<string, ConfigItem>();
  const owner = new Map<string, ConfigItem>();
  const calls = { mget: 0, owner: 0, ownerItems: [] as string[][] };
  let listener: ChangeListener | undefined;
  let ownerFails = false;
  let redisFails = false;
  let ownerGate: Promise<void> | undefined;
  let clock = 0;
  const store: ConfigStore = {
    async get(refs) {
      calls.mget += 1;
      if (redisFails) throw new Error('redis is down');
      return refs.map((ref) => redis.get(itemId(ref)));
    },
    async put(item) {
      redis.set(itemId(item), item);
      return true;
    },
  };
  const bus: ChangeBus = {
    announce: async () => undefined,
    listen: async (each) => {
      listener = each;
      each.onLive(options.live ?? true);
      return async () => undefined;
    },
    close: async () => undefined,
  };
  const errors: unknown[] = [];
  const reader = new SystemConfigReader({
    store,
    bus,
    owner: {
      async load(refs: readonly ConfigItemRef[]) {
        calls.owner += 1;
        calls.ownerItems.push(refs.map(itemId));
        if (ownerFails) throw new Error('users is down');
        // Read first, answer later: a change may commit in between.
        const items = refs.map((ref) => owner.get(itemId(ref)) ?? { ...ref, version: 0, data: null });
        await ownerGate;
        // The owner fills Redis with what it answered, as the users subgraph does (never over a newer copy).
        for (const item of items) if ((redis.get(itemId(item))?.version ?? -1) <= item.version) redis.set(itemId(item), item);
        return items;
      },
    },
    maxAgeMs: 1_000,
    offlineMaxAgeMs: 100,
    onError: (error) => errors.push(error),
    now: () => clock,
  });
  const set = (item: ConfigItem) => owner.set(itemId(item), item);
  return {
    reader,
    redis,
    calls,
    errors,
    set,
    /** The owner commits a change: new version in Redis, then announced. */
    change(item: ConfigItem) {
      set(item);
      redis.set(itemId(item), item);
      listener?.onChange({ kind: item.kind, name: item.name, version: item.version } satisfies ConfigChange);
    },
    live: (live: boolean) => listener?.onLive(live),
    advance: (ms: number) => (clock += ms),
    failOwner: (fails: boolean) => (ownerFails = fails),
    failRedis: (fails: boolean) => (redisFails = fails),
    holdOwner: () => {
      let release!: () => void;
      ownerGate = new Promise((resolve) => (release = resolve));
      return () => {
        ownerGate = undefined;
        release();
      };
    },
  };
}

test('a cold read goes to the owner once for everything missed in the same tick, then Redis serves other processes and memory this one', async () => {
  const h = harness();
  h.set({ kind: 'dictionary', name: 'DEVICE_STATUS', version: 3, data: RUNNING });
  h.set({ kind: 'setting', name: 'devices.defaultAndroidVersion', version: 1, data: '13' });
  await h.reader.start();
  const [first, second, version] = await Promise.all([h.reader.dictionary('DEVICE_STATUS'), h.reader.dictionary('DEVICE_STATUS'), h.reader.setting('devices.defaultAndroidVersion')]);
  assert.deepEqual(first, RUNNING);
  assert.deepEqual(second, RUNNING);
  assert.equal(version, '13');
  assert.deepEqual(h.calls.ownerItems, [['dictionary:DEVICE_STATUS', 'setting:devices.defaultAndroidVersion']], 'one owner call for both misses');
  assert.equal(h.calls.mget, 1);
  for (let index = 0; index < 100; index += 1) await h.reader.dictionary('DEVICE_STATUS');
  assert.equal(h.calls.mget, 1, 'warm reads never leave the process');
  assert.equal(h.reader.stats().memoryHits, 100);

  // Another process (a second reader on the same Redis) finds the copy the owner filled.
  const other = harness();
  for (const [, item] of h.redis) other.redis.set(itemId(item), item);
  await other.reader.start();
  assert.deepEqual(await other.reader.dictionary('DEVICE_STATUS'), RUNNING);
  assert.equal(other.calls.owner, 0);
  assert.equal(other.reader.stats().redisHits, 1);
});

test('an announced change drops the copy, and the next read sees the new version', async () => {
  const h = harness();
  h.set({ kind: 'dictionary', name: 'DEVICE_STATUS', version: 1, data: RUNNING });
  await h.reader.start();
  await h.reader.dictionary('DEVICE_STATUS');
  h.change({ kind: 'dictionary', name: 'DEVICE_STATUS', version: 2, data: [{ code: 'RUNNING', label: 'Up', sortOrder: 2 }] });
  assert.equal((await h.reader.dictionary('DEVICE_STATUS'))[0]?.label, 'Up');
  assert.equal(h.calls.owner, 1, 'the new version came from Redis, where the owner put it before announcing');
  assert.equal(h.reader.stats().invalidations, 1);
});

test('a load under way when a change is heard is not kept, and later reads do not join it', async () => {
  const h = harness();
  h.set({ kind: 'dictionary', name: 'DEVICE_STATUS', version: 1, data: RUNNING });
  await h.reader.start();
  const release = h.holdOwner();
  const early = h.reader.dictionary('DEVICE_STATUS');
  await new Promise((resolve) => setImmediate(resolve));
  // The owner answered version 1 from its database, then a change committed before the answer arrived.
  h.change({ kind: 'dictionary', name: 'DEVICE_STATUS', version: 2, data: [{ code: 'RUNNING', label: 'Up', sortOrder: 2 }] });
  const late = h.reader.dictionary('DEVICE_STATUS');
  release();
  assert.equal((await early)[0]?.label, 'Running', 'the read begun before the change may see the old version');
  assert.equal((await late)[0]?.label, 'Up');
  assert.equal((await h.reader.dictionary('DEVICE_STATUS'))[0]?.label, 'Up', 'the old version was not kept');
});

test('an older copy in Redis than the one announced is passed over for the owner', async () => {
  const h = harness();
  await h.reader.start();
  h.change({ kind: 'setting', name: 'devices.defaultAndroidVersion', version: 5, data: '14' });
  h.redis.set('setting:devices.defaultAndroidVersion', { kind: 'setting', name: 'devices.defaultAndroidVersion', version: 4, data: '13' });
  assert.equal(await h.reader.setting('devices.defaultAndroidVersion'), '14');
  assert.equal(h.calls.owner, 1);
});

test('without the subscription a copy is trusted briefly; when it is back, every copy goes', async () => {
  const h = harness({ live: false });
  h.set({ kind: 'dictionary', name: 'DEVICE_STATUS', version: 1, data: RUNNING });
  await h.reader.start();
  await h.reader.dictionary('DEVICE_STATUS');
  await h.reader.dictionary('DEVICE_STATUS');
  assert.equal(h.calls.mget, 1, 'not subscribed yet: the copy serves for a moment');
  h.advance(500);
  await h.reader.dictionary('DEVICE_STATUS');
  assert.equal(h.calls.mget, 2, 'and no longer (offlineMaxAgeMs)');
  h.live(true);
  await h.reader.dictionary('DEVICE_STATUS');
  assert.equal(h.calls.mget, 3, 'subscribed: announcements made before may have been missed, so the copy went');
  h.advance(900);
  await h.reader.dictionary('DEVICE_STATUS');
  assert.equal(h.calls.mget, 3, 'subscribed: the copy serves up to maxAgeMs');
  h.live(false);
  h.advance(200);
  await h.reader.dictionary('DEVICE_STATUS');
  assert.equal(h.calls.mget, 4, 'the subscription dropped: the copy is only trusted briefly again');
});

test('a copy expires after maxAge; when Redis and the owner both fail an expired copy is served, and with none the read fails', async () => {
  const h = harness();
  h.set({ kind: 'dictionary', name: 'DEVICE_STATUS', version: 1, data: RUNNING });
  await h.reader.start();
  await h.reader.dictionary('DEVICE_STATUS');
  h.advance(1_001);
  h.failRedis(true);
  h.failOwner(true);
  assert.deepEqual(await h.reader.dictionary('DEVICE_STATUS'), RUNNING);
  await assert.rejects(h.reader.setting('devices.defaultAndroidVersion'), /users is down/);
  h.failOwner(false);
  assert.equal(await h.reader.setting('devices.defaultAndroidVersion'), undefined, 'Redis down: the owner answers (the setting is not set)');
});

test('a value of another shape than the setting declares reads as unset and is reported', async () => {
  const h = harness();
  h.set({ kind: 'setting', name: 'devices.defaultAndroidVersion', version: 2, data: 13 });
  await h.reader.start();
  assert.equal(await h.reader.setting('devices.defaultAndroidVersion'), undefined);
  assert.match(String(h.errors[0]), /another shape/);
});
