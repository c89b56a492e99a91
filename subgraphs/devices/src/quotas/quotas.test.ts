import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { type SubgraphDatabase, openDatabase } from '@cloudphone/db';
import { AppError } from '@cloudphone/errors';
import { Outbox } from '@cloudphone/events';
import { type RequestContext, serviceContext } from '@cloudphone/subgraph-kit';
import { migrationsFolder } from '../database/migrations.js';
import { outbox } from '../database/schema.js';
import { seedDevices } from '../database/seed.js';
import { DevicesRepository } from '../devices/devices.repository.js';
import { DevicesService } from '../devices/devices.service.js';
import { DeviceProvider, DeviceStatus } from '../devices/models/device.model.js';
import type { PlacementClient } from '../placement/placement.client.js';
import { TemplatesRepository } from '../templates/templates.repository.js';
import { TemplatesService } from '../templates/templates.service.js';
import type { Owner, UsersClient } from '../users/users.client.js';
import { QuotaGuard } from './quota-guard.js';
import { NO_USAGE, type Quota, newDeviceUsage, quotaBreach } from './quota-rules.js';
import type { SystemConfigReader } from '@cloudphone/system-config';

const id = (n: number) => `9a0b1c2d-0000-4000-8000-${String(n).padStart(12, '0')}`;
const TENANT = id(900);
const NODE = id(300);
const SPEC = { cpuCores: 2, memoryMb: 2048, storageGb: 16 };
const ROOMY: Quota = { maxDevices: 10, maxRunningDevices: 10, maxCpuCores: 100, maxMemoryMb: 100_000, maxStorageGb: 1000, status: 'ACTIVE' };

test('quotaBreach names the first limit a request would go over; reaching a limit exactly fits', () => {
  const usage = { devices: 1, runningDevices: 1, cpuCores: 2, memoryMb: 2048, storageGb: 16 };
  assert.equal(quotaBreach({ ...ROOMY, maxDevices: 2 }, usage, newDeviceUsage(SPEC)), null, 'the second of two devices fits');
  assert.deepEqual(quotaBreach({ ...ROOMY, maxDevices: 1, maxCpuCores: 1 }, usage, newDeviceUsage(SPEC)), { limit: 'maxDevices', max: 1, requested: 2 });
  assert.deepEqual(quotaBreach({ ...ROOMY, maxCpuCores: 3 }, usage, newDeviceUsage(SPEC)), { limit: 'maxCpuCores', max: 3, requested: 4 });
  assert.deepEqual(quotaBreach({ ...ROOMY, maxStorageGb: 20 }, usage, newDeviceUsage(SPEC)), { limit: 'maxStorageGb', max: 20, requested: 32 });
  assert.deepEqual(quotaBreach({ ...ROOMY, maxRunningDevices: 0 }, NO_USAGE, { runningDevices: 1 }), { limit: 'maxRunningDevices', max: 0, requested: 1 });
  assert.equal(quotaBreach({ ...ROOMY, maxDevices: 0 }, usage, { runningDevices: 1 }), null, 'only what the request adds is checked');
});

let database: SubgraphDatabase;
let repository: DevicesRepository;
let devices: DevicesService;
let users: { quota: Quota | null; down: boolean };
const reserved: string[] = [];
const released: string[] = [];
/** Runs inside the next reservation: a concurrent create that wins the owner's lock meanwhile. */
let duringReservation: (() => Promise<void>) | undefined;
let next = 0;

const asService = (): RequestContext => serviceContext('tests', 'quota-test');

async function rejectsWith(promise: Promise<unknown>, code: string, details: Record<string, unknown> = {}): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, code, error.message);
    for (const [key, value] of Object.entries(details)) assert.equal(error.details[key], value, key);
    return true;
  });
}

/** A fresh owner (its devices are only those a test makes). */
function newOwner(): Owner {
  next += 1;
  return { id: id(next), tenantId: TENANT, displayName: `Owner ${next}`, email: `owner${next}@example.com`, status: 'ACTIVE', version: 1 };
}
const owners = new Map<string, Owner>();

const create = (owner: Owner, name = 'phone') =>
  devices.create(asService(), { userId: owner.id, name, provider: DeviceProvider.REDROID, templateId: null, androidVersion: '13', spec: SPEC, placement: null });

async function quotaEvents(userId: string): Promise<unknown[]> {
  const rows = await database.db.select().from(outbox);
  return rows.filter((row) => row.routingKey === 'quota.exceeded' && row.aggregateId === userId).map((row) => row.envelope.data);
}

before(async () => {
  database = await openDatabase({ service: 'devices', target: { kind: 'pglite' }, migrationsFolder });
  await seedDevices(database, { nodes: [{ id: NODE, name: 'node-1', region: 'eu', zone: 'eu-1', cpuCapacity: 640, memoryMbCapacity: 2_621_440, storageGbCapacity: 40_960, deviceSlots: 500 }], templates: [], devices: [] });
  const client = {
    async ownerWithQuota(userId: string) {
      if (users.down) throw new AppError('SERVICE_UNAVAILABLE', 'The users service is unavailable', { service: 'users' });
      return { owner: owners.get(userId) ?? null, quota: users.quota };
    },
    async quotaOf() {
      if (users.down) throw new AppError('SERVICE_UNAVAILABLE', 'The users service is unavailable', { service: 'users' });
      return users.quota;
    },
  } as unknown as UsersClient;
  const placement = {
    async reserve(claim: { deviceId: string }) {
      reserved.push(claim.deviceId);
      const race = duringReservation;
      duringReservation = undefined;
      await race?.();
      return { id: claim.deviceId, nodeId: NODE };
    },
    async release(deviceId: string) {
      released.push(deviceId);
    },
  } as unknown as PlacementClient;
  repository = new DevicesRepository(database, new Outbox('devices'));
  // Every create here gives an androidVersion: the configuration reader is never asked.
  const config = { setting: async () => assert.fail('no setting is read') } as unknown as SystemConfigReader;
  devices = new DevicesService(repository, new TemplatesService(new TemplatesRepository(database)), client, placement, new QuotaGuard(client, repository), config);
});
after(async () => {
  await database.close();
});
beforeEach(() => {
  users = { quota: ROOMY, down: false };
  reserved.length = 0;
  released.length = 0;
});

function owner(): Owner {
  const made = newOwner();
  owners.set(made.id, made);
  return made;
}

test('a create over maxDevices is QUOTA_EXCEEDED naming the limit, refused before any capacity is reserved, and published as quota.exceeded', async () => {
  const alice = owner();
  users.quota = { ...ROOMY, maxDevices: 2 };
  await create(alice);
  await create(alice);
  reserved.length = 0;
  await rejectsWith(create(alice), 'QUOTA_EXCEEDED', { limit: 'maxDevices', max: 2, requested: 3 });
  assert.deepEqual(reserved, [], 'the scheduler was not asked');
  assert.equal((await devices.usageOf(asService(), alice.id)).devices, 2);
  assert.deepEqual(await quotaEvents(alice.id), [{ userId: alice.id, limit: 'maxDevices', max: 2, requested: 3 }]);
});

test('cpu, memory and storage count every device held; a DELETED one holds nothing', async () => {
  const bob = owner();
  users.quota = { ...ROOMY, maxCpuCores: 3 };
  const first = await create(bob);
  await rejectsWith(create(bob), 'QUOTA_EXCEEDED', { limit: 'maxCpuCores', max: 3, requested: 4 });
  await devices.changeStatus(asService(), first.id, DeviceStatus.DELETED);
  await create(bob);
  assert.deepEqual(await devices.usageOf(asService(), bob.id), { devices: 1, runningDevices: 1, ...SPEC });
});

test('a create that loses the race at the insert is refused there and gives its reservation back', async () => {
  const carol = owner();
  users.quota = { ...ROOMY, maxDevices: 1 };
  // Both pass the cheap check; the other one commits while this one holds its reservation.
  duringReservation = async () => {
    await create(carol, 'winner');
  };
  await rejectsWith(create(carol, 'loser'), 'QUOTA_EXCEEDED', { limit: 'maxDevices', max: 1, requested: 2 });
  assert.equal(reserved.length, 2);
  assert.deepEqual(released, [reserved[0]], "the loser's capacity went back");
  assert.equal((await devices.usageOf(asService(), carol.id)).devices, 1);
});

test('the check fails closed: users unreachable, or no quota, refuses the create before anything is reserved or written; SUSPENDED refuses too', async () => {
  const dave = owner();
  users.down = true;
  await rejectsWith(create(dave), 'SERVICE_UNAVAILABLE', {});
  users.down = false;
  users.quota = null;
  await rejectsWith(create(dave), 'SERVICE_UNAVAILABLE', {});
  users.quota = { ...ROOMY, status: 'SUSPENDED' };
  await rejectsWith(create(dave), 'QUOTA_EXCEEDED', { limit: 'status' });
  assert.deepEqual(reserved, []);
  assert.deepEqual(await devices.usageOf(asService(), dave.id), NO_USAGE);
});

test('startDevice: a STOPPED device starts only within maxRunningDevices; a start that cannot be checked is refused', async () => {
  const erin = owner();
  const one = await create(erin, 'one');
  const two = await create(erin, 'two');
  for (const device of [one, two]) {
    await devices.changeStatus(asService(), device.id, DeviceStatus.RUNNING);
    await devices.changeStatus(asService(), device.id, DeviceStatus.STOPPED);
  }
  users.quota = { ...ROOMY, maxRunningDevices: 1 };
  await devices.changeStatus(asService(), one.id, DeviceStatus.RUNNING);
  await rejectsWith(devices.changeStatus(asService(), two.id, DeviceStatus.RUNNING), 'QUOTA_EXCEEDED', { limit: 'maxRunningDevices', max: 1, requested: 2 });
  const batch = await devices.forEach([two.id], (deviceId) => devices.changeStatus(asService(), deviceId, DeviceStatus.RUNNING));
  assert.equal(batch[0]?.error?.code, 'QUOTA_EXCEEDED');
  assert.equal((await devices.restart(asService(), one.id)).status, DeviceStatus.RUNNING, 'a restart gives back the slot it takes');
  await devices.changeStatus(asService(), one.id, DeviceStatus.STOPPED);
  users.down = true;
  await rejectsWith(devices.changeStatus(asService(), two.id, DeviceStatus.RUNNING), 'SERVICE_UNAVAILABLE');
  users.down = false;
  assert.equal((await devices.changeStatus(asService(), two.id, DeviceStatus.RUNNING)).status, DeviceStatus.RUNNING);
  assert.deepEqual(await quotaEvents(erin.id), [
    { userId: erin.id, limit: 'maxRunningDevices', max: 1, requested: 2 },
    { userId: erin.id, limit: 'maxRunningDevices', max: 1, requested: 2 },
  ]);
});
