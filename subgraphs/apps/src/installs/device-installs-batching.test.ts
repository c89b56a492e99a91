import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type SubgraphDatabase, openDatabase } from '@cloudphone/db';
import { migrationsFolder } from '../database/migrations.js';
import { seedApps } from '../database/seed.js';
import { Outbox } from '@cloudphone/events';
import type { RowScope } from '@cloudphone/identity';
import { InstallsRepository } from './installs.repository.js';

const OWNER = '7c1d0000-0000-4000-8000-0000000000aa';
const TENANT = '7c1d0000-0000-4000-8000-0000000000f1';
const STRANGER = '7c1d0000-0000-4000-8000-0000000000bb';
const ALL: RowScope = { kind: 'ALL' };
const device = (n: number) => `7c1d0000-0000-4000-8000-${String(n).padStart(12, '0')}`;

let database: SubgraphDatabase;
let installs: InstallsRepository;
let appIds: string[];

before(async () => {
  database = await openDatabase({ service: 'apps', target: { kind: 'pglite' }, migrationsFolder });
  installs = new InstallsRepository(database, new Outbox('apps'));
  appIds = ['7c1d0000-0000-4000-8000-00000000a001', '7c1d0000-0000-4000-8000-00000000a002', '7c1d0000-0000-4000-8000-00000000a003'];
  const [a, b, c] = appIds as [string, string, string];
  const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 12, minute));
  await seedApps(database, {
    applications: appIds.map((id, i) => ({
      id,
      packageName: 'com.example.batch',
      name: `Batch ${i}`,
      versionName: `1.${i}`,
      versionCode: i + 1,
      sizeBytes: 5_000_000_000,
      category: 'tools',
      status: 'AVAILABLE' as const,
    })),
    installs: [
      { deviceId: device(1), applicationId: c, userId: OWNER, tenantId: TENANT, status: 'PENDING', requestedAt: at(3) },
      { deviceId: device(1), applicationId: a, userId: OWNER, tenantId: TENANT, status: 'INSTALLED', requestedAt: at(1), installedAt: at(2) },
      { deviceId: device(1), applicationId: b, userId: OWNER, tenantId: TENANT, status: 'UNINSTALLED', requestedAt: at(0) },
      // From before tenants were copied: no tenant.
      { deviceId: device(2), applicationId: a, userId: OWNER, status: 'INSTALLED', requestedAt: at(5), installedAt: at(6) },
      // Someone else's device in the same tenant.
      { deviceId: device(30), applicationId: a, userId: STRANGER, tenantId: TENANT, status: 'INSTALLED', requestedAt: at(7), installedAt: at(8) },
    ],
  });
});

after(async () => {
  await database?.close();
});

test('the installs of any number of devices are one statement, without UNINSTALLED ones, by device and request time', async () => {
  const ids = Array.from({ length: 20 }, (_, i) => device(i + 1));
  const one = await database.statements.measure(() => installs.findCurrentForDevices([device(1)], ALL));
  const many = await database.statements.measure(() => installs.findCurrentForDevices(ids, ALL));
  assert.equal(one.statements, 1);
  assert.equal(many.statements, 1);
  assert.deepEqual(
    many.result.map((row) => [row.deviceId, row.applicationId, row.status]),
    [
      [device(1), appIds[0], 'INSTALLED'],
      [device(1), appIds[2], 'PENDING'],
      [device(2), appIds[0], 'INSTALLED'],
    ],
  );
});

test('the INSTALLED counts of any number of devices are one grouped statement', async () => {
  const ids = Array.from({ length: 20 }, (_, i) => device(i + 1));
  const many = await database.statements.measure(() => installs.countInstalledForDevices(ids, ALL));
  assert.equal(many.statements, 1);
  const counts = Object.fromEntries(many.result.map((row) => [row.deviceId, Number(row.value)]));
  assert.deepEqual(counts, { [device(1)]: 1, [device(2)]: 1 });
});

test('device installs and counts are filtered in SQL by the row scope; a row without a tenant is out of every TENANT scope', async () => {
  const ids = [device(1), device(2), device(30)];
  const current = async (scope: RowScope) => (await installs.findCurrentForDevices(ids, scope)).map((row) => `${row.deviceId.slice(-2)}:${row.applicationId.slice(-1)}`);
  const counted = async (scope: RowScope) => (await installs.countInstalledForDevices(ids, scope)).map((row) => `${row.deviceId.slice(-2)}=${Number(row.value)}`);
  assert.deepEqual(await current({ kind: 'SELF', userId: OWNER }), ['01:1', '01:3', '02:1']);
  assert.deepEqual(await current({ kind: 'SELF', userId: STRANGER }), ['30:1']);
  assert.deepEqual(await current({ kind: 'TENANT', tenantId: TENANT }), ['01:1', '01:3', '30:1']);
  assert.deepEqual(await current({ kind: 'NONE' }), []);
  assert.deepEqual((await counted({ kind: 'SELF', userId: STRANGER })).sort(), ['30=1']);
  assert.deepEqual((await counted({ kind: 'TENANT', tenantId: TENANT })).sort(), ['01=1', '30=1']);
  assert.deepEqual(await counted({ kind: 'NONE' }), []);
});

test('a new install request for an install in progress writes nothing; a FAILED or UNINSTALLED one starts over as PENDING', async () => {
  const [a, b] = appIds as [string, string, string];
  const application = { packageName: 'com.example.batch', versionCode: 1 };
  const context = { requestId: 'test' };
  assert.equal(await installs.requestInstall({ deviceId: device(1), applicationId: a, userId: OWNER }, ['FAILED', 'UNINSTALLED'], application, context), undefined);
  const before = await installs.findByDeviceAndApplication(device(1), a);
  assert.equal(before?.status, 'INSTALLED');

  const old = await installs.findByDeviceAndApplication(device(1), b);
  const again = await installs.requestInstall({ deviceId: device(1), applicationId: b, userId: OWNER }, ['FAILED', 'UNINSTALLED'], application, context);
  assert.equal(again?.id, old?.id);
  assert.equal(again?.status, 'PENDING');
  assert.equal(again?.installedAt, null);
  assert.equal(again?.error, null);
});

test('a status change is compare-and-set: a stale `from` changes nothing', async () => {
  const [, , c] = appIds as [string, string, string];
  const row = await installs.findByDeviceAndApplication(device(1), c);
  assert.equal(row?.status, 'PENDING');
  assert.equal(await installs.updateStatus(row?.id ?? '', 'INSTALLING', { status: 'INSTALLED' }), undefined);
  assert.equal((await installs.findByDeviceAndApplication(device(1), c))?.status, 'PENDING');
});
