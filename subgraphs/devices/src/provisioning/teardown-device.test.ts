import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type SubgraphDatabase, openDatabase } from '@cloudphone/db';
import { Outbox } from '@cloudphone/events';
import { migrationsFolder } from '../database/migrations.js';
import type { DeviceRow } from '../database/schema.js';
import { seedDevices } from '../database/seed.js';
import { DevicesRepository } from '../devices/devices.repository.js';
import { type ProvisionResult, SimulatedProviderDriver, type TeardownResult } from '../drivers/provider-driver.js';
import { provisionDevice } from './provision-device.js';
import { TEARDOWN_LEASE_MS, tearDownDevice } from './teardown-device.js';

const id = (n: number) => `7a2b3c4d-0000-4000-8000-${String(n).padStart(12, '0')}`;
const context = { requestId: 'teardown-test' };

/** The simulated provider, counting the calls it gets; a teardown can be held in flight or refused. */
class CountingDriver extends SimulatedProviderDriver {
  readonly calls = new Map<string, number>();
  refuse = false;
  /** While set, teardowns (or provisionings) wait for it. */
  hold: Promise<void> | undefined;
  holdProvision: Promise<void> | undefined;

  constructor() {
    super({ provisionDelayMs: 0, failureRate: 0 });
  }

  override async teardown(device: DeviceRow): Promise<TeardownResult> {
    this.calls.set(device.id, (this.calls.get(device.id) ?? 0) + 1);
    await this.hold;
    if (this.refuse) return { ok: false, reason: 'the provider is down' };
    return super.teardown(device);
  }

  override async provision(device: DeviceRow): Promise<ProvisionResult> {
    await this.holdProvision;
    return super.provision(device);
  }
}

let database: SubgraphDatabase;
let devices: DevicesRepository;

before(async () => {
  database = await openDatabase({ service: 'devices', target: { kind: 'pglite' }, migrationsFolder });
  devices = new DevicesRepository(database, new Outbox('devices'));
  await seedDevices(database, {
    nodes: [],
    templates: [],
    devices: Array.from({ length: 7 }, (_, index) => ({
      id: id(index + 1),
      userId: id(100),
      tenantId: id(200),
      ownerName: 'Owner',
      ownerEmail: 'owner@example.com',
      ownerVersion: 1,
      name: `phone-${index + 1}`,
      provider: 'REDROID' as const,
      cpuCores: 2,
      memoryMb: 4096,
      storageGb: 32,
      androidVersion: '13',
      // The sixth is still being provisioned.
      status: index === 5 ? ('CREATING' as const) : ('RUNNING' as const),
    })),
  });
});
after(async () => {
  await database.close();
});

async function deleted(n: number): Promise<string> {
  assert.equal((await devices.transition(id(n), 'DELETED', context)).kind, 'changed');
  return id(n);
}

async function row(deviceId: string): Promise<DeviceRow> {
  const [found] = await devices.findByIds([deviceId]);
  assert.ok(found);
  return found;
}

test('a deleted device is torn down once: a redelivery finds it done and does not ask the provider again', async () => {
  const driver = new CountingDriver();
  const device = await deleted(1);
  assert.deepEqual(await tearDownDevice(devices, driver, device), { outcome: 'torn-down' });
  const first = (await row(device)).tornDownAt;
  assert.ok(first);
  assert.deepEqual(await tearDownDevice(devices, driver, device), { outcome: 'already-torn-down' });
  assert.deepEqual([driver.calls.get(device), driver.releases.get(device)], [1, 1]);
  const after = await row(device);
  assert.deepEqual([after.tornDownAt, after.teardownClaimedAt, after.version], [first, null, 2], 'the record stays; the device itself did not change');
});

test('concurrent attempts (two deliveries at once): one asks the provider, the other keeps off', async () => {
  const driver = new CountingDriver();
  const device = await deleted(2);
  let letGo: () => void = () => {};
  driver.hold = new Promise((resolve) => (letGo = resolve));
  const first = tearDownDevice(devices, driver, device);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(await tearDownDevice(devices, driver, device), { outcome: 'in-progress' });
  letGo();
  assert.deepEqual(await first, { outcome: 'torn-down' });
  assert.deepEqual([driver.calls.get(device), driver.releases.get(device)], [1, 1]);
});

test('a refusal leaves the phone due (tornDownAt null, claim given back) and the next attempt releases it', async () => {
  const driver = new CountingDriver();
  const device = await deleted(3);
  driver.refuse = true;
  assert.deepEqual(await tearDownDevice(devices, driver, device), { outcome: 'failed', reason: 'the provider is down' });
  assert.deepEqual([(await row(device)).tornDownAt, (await row(device)).teardownClaimedAt], [null, null]);
  driver.refuse = false;
  assert.deepEqual(await tearDownDevice(devices, driver, device), { outcome: 'torn-down' });
  assert.deepEqual([driver.calls.get(device), driver.releases.get(device)], [2, 1]);
});

test('an attempt that died after the provider released the phone: others keep off its claim, then take over once it is stale; released once in effect', async () => {
  const driver = new CountingDriver();
  const device = await deleted(4);
  const diedAt = new Date();
  // The dead attempt: claimed, had the provider release the phone, never recorded it.
  const claim = await devices.claimTeardown(device, diedAt, new Date(diedAt.getTime() - TEARDOWN_LEASE_MS));
  assert.equal(claim.kind, 'claimed');
  await driver.teardown(await row(device));

  assert.deepEqual(await tearDownDevice(devices, driver, device, new Date(diedAt.getTime() + 1_000)), { outcome: 'in-progress' });
  assert.equal((await row(device)).tornDownAt, null, 'not skipped: still due');
  assert.deepEqual(await tearDownDevice(devices, driver, device, new Date(diedAt.getTime() + TEARDOWN_LEASE_MS + 1)), { outcome: 'torn-down' });
  assert.ok((await row(device)).tornDownAt);
  assert.deepEqual([driver.calls.get(device), driver.releases.get(device)], [2, 1], 'asked again, released once');
});

test('only DELETED devices are torn down', async () => {
  const driver = new CountingDriver();
  assert.deepEqual(await tearDownDevice(devices, driver, id(5)), { outcome: 'not-deleted' });
  assert.deepEqual(await tearDownDevice(devices, driver, id(999)), { outcome: 'not-deleted' });
  assert.equal(driver.calls.size, 0);
});

test('a phone that came up after its device was deleted and torn down is torn down again', async () => {
  const driver = new CountingDriver();
  const device = id(6);
  let letGo: () => void = () => {};
  driver.holdProvision = new Promise((resolve) => (letGo = resolve));
  const provisioning = provisionDevice(devices, driver, await row(device), context);
  await deleted(6);
  assert.deepEqual(await tearDownDevice(devices, driver, device), { outcome: 'torn-down' });
  letGo();
  assert.deepEqual(await provisioning, { outcome: 'moved-on' });
  const after = await row(device);
  assert.deepEqual([after.status, after.tornDownAt !== null, driver.releases.get(device)], ['DELETED', true, 2], 'both phones released');
});
