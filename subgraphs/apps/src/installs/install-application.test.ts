import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '@cloudphone/errors';
import type { DataScope, Principal } from '@cloudphone/identity';
import { LoaderRegistry, type RequestContext, type SubgraphClient, serviceContext } from '@cloudphone/subgraph-kit';
import type { ApplicationsService } from '../applications/applications.service.js';
import { type Application, ApplicationStatus } from '../applications/models/application.model.js';
import type { DeviceApplicationRow, NewDeviceApplicationRow } from '../database/schema.js';
import type { RemoteDevice } from '../devices/devices-client.module.js';
import type { InstallsRepository } from './installs.repository.js';
import { DEVICE_MUST_RUN, InstallsService } from './installs.service.js';
import { InstallStatus } from './models/device-application.model.js';

const DEVICE = '0b9a7f0e-0000-4000-8000-000000000001';
const OWNER = '0b9a7f0e-0000-4000-8000-0000000000aa';
const APP = '0b9a7f0e-0000-4000-8000-000000000002';
const INSTALL = '0b9a7f0e-0000-4000-8000-000000000003';
const TENANT = '0b9a7f0e-0000-4000-8000-0000000000f1';

function application(status: ApplicationStatus): Application {
  return { id: APP, packageName: 'com.example.app', name: 'Example', versionName: '1.0', versionCode: 1, sizeBytes: 10, category: 'tools', iconUrl: null, status, createdAt: new Date() };
}

function installRow(status: DeviceApplicationRow['status']): DeviceApplicationRow {
  const now = new Date();
  return { id: INSTALL, deviceId: DEVICE, applicationId: APP, userId: OWNER, tenantId: TENANT, status, error: null, requestedAt: now, installedAt: null, updatedAt: now };
}

interface Harness {
  service: InstallsService;
  writes: string[];
  deviceCalls: string[][];
  rows: Map<string, DeviceApplicationRow>;
  requested: { row: Pick<NewDeviceApplicationRow, 'deviceId' | 'applicationId' | 'userId' | 'tenantId'>; restartable: readonly string[] }[];
}

function harness(options: { app?: Application | null; device?: RemoteDevice | null; existing?: DeviceApplicationRow; loseRace?: boolean }): Harness {
  const writes: string[] = [];
  const deviceCalls: string[][] = [];
  const rows = new Map<string, DeviceApplicationRow>();
  if (options.existing) rows.set(options.existing.id, options.existing);
  const requested: Harness['requested'] = [];
  const repository = {
    async findByIds(ids: readonly string[]) {
      return ids.flatMap((id) => (rows.has(id) ? [rows.get(id) as DeviceApplicationRow] : []));
    },
    async findByDeviceAndApplication(deviceId: string, applicationId: string) {
      return [...rows.values()].find((row) => row.deviceId === deviceId && row.applicationId === applicationId);
    },
    async requestInstall(row: Pick<NewDeviceApplicationRow, 'deviceId' | 'applicationId' | 'userId' | 'tenantId'>, restartable: readonly DeviceApplicationRow['status'][]) {
      writes.push('requestInstall');
      requested.push({ row, restartable });
      const existing = [...rows.values()].find((r) => r.deviceId === row.deviceId && r.applicationId === row.applicationId);
      if (existing && !restartable.includes(existing.status)) return undefined;
      return { ...installRow('PENDING'), ...row };
    },
    async updateStatus(id: string, from: DeviceApplicationRow['status'], changes: Partial<DeviceApplicationRow>) {
      writes.push(`updateStatus:${from}->${String(changes.status)}`);
      const row = rows.get(id);
      if (!row || row.status !== from || options.loseRace) return undefined;
      const updated = { ...row, ...changes };
      rows.set(id, updated);
      return updated;
    },
  };
  const applications = { find: async () => (options.app === undefined ? application(ApplicationStatus.AVAILABLE) : options.app) };
  const devices = {
    async fetchEntities(typename: string, ids: readonly string[], selection: string) {
      deviceCalls.push([typename, ...ids, selection]);
      return [options.device === undefined ? { id: DEVICE, status: 'RUNNING', userId: OWNER, tenantId: TENANT } : options.device];
    },
  };
  const service = new InstallsService(
    repository as unknown as InstallsRepository,
    applications as unknown as ApplicationsService,
    devices as unknown as SubgraphClient,
  );
  return { service, writes, deviceCalls, rows, requested };
}

function rejectsWith(code: string, pattern?: RegExp) {
  return (error: unknown) => error instanceof AppError && error.code === code && (pattern === undefined || pattern.test(error.userMessage));
}

const context = () => serviceContext('apps', 'test');

test('installing requests a PENDING install for the device owner', async () => {
  const h = harness({});
  const install = await h.service.install(context(), { deviceId: DEVICE.toUpperCase(), applicationId: APP });
  assert.equal(install.status, InstallStatus.PENDING);
  assert.deepEqual(h.deviceCalls, [['Device', DEVICE, 'id status userId tenantId']]);
  assert.deepEqual(h.requested[0]?.row, { deviceId: DEVICE, applicationId: APP, userId: OWNER, tenantId: TENANT });
  assert.deepEqual([...(h.requested[0]?.restartable ?? [])].sort(), ['FAILED', 'UNINSTALLED']);
});

test('installing with an id that is not a UUID is BAD_USER_INPUT before anything is read', async () => {
  const h = harness({});
  await assert.rejects(h.service.install(context(), { deviceId: 'nope', applicationId: APP }), rejectsWith('BAD_USER_INPUT', /deviceId/));
  await assert.rejects(h.service.install(context(), { deviceId: DEVICE, applicationId: '42' }), rejectsWith('BAD_USER_INPUT', /applicationId/));
  assert.deepEqual(h.deviceCalls, []);
  assert.deepEqual(h.writes, []);
});

test('installing a missing application is APPLICATION_NOT_FOUND without asking the devices subgraph', async () => {
  const h = harness({ app: null });
  await assert.rejects(h.service.install(context(), { deviceId: DEVICE, applicationId: APP }), rejectsWith('APPLICATION_NOT_FOUND'));
  assert.deepEqual(h.deviceCalls, []);
  assert.deepEqual(h.writes, []);
});

test('installing an application that is not AVAILABLE is BAD_USER_INPUT', async () => {
  for (const status of [ApplicationStatus.PENDING_REVIEW, ApplicationStatus.APPROVED, ApplicationStatus.UNAVAILABLE, ApplicationStatus.REJECTED]) {
    const h = harness({ app: application(status) });
    await assert.rejects(h.service.install(context(), { deviceId: DEVICE, applicationId: APP }), rejectsWith('BAD_USER_INPUT', /AVAILABLE/));
    assert.deepEqual(h.deviceCalls, []);
    assert.deepEqual(h.writes, []);
  }
});

test('installing on a device the devices subgraph does not know is DEVICE_NOT_FOUND', async () => {
  const h = harness({ device: null });
  await assert.rejects(h.service.install(context(), { deviceId: DEVICE, applicationId: APP }), rejectsWith('DEVICE_NOT_FOUND'));
  assert.deepEqual(h.writes, []);
});

test('installing on a device that is not RUNNING is BAD_USER_INPUT', async () => {
  const h = harness({ device: { id: DEVICE, status: 'STOPPED', userId: OWNER, tenantId: TENANT } });
  await assert.rejects(h.service.install(context(), { deviceId: DEVICE, applicationId: APP }), rejectsWith('BAD_USER_INPUT', new RegExp(DEVICE_MUST_RUN)));
  assert.deepEqual(h.writes, []);
});

test('installing over an install in progress or done is CONFLICT; over a FAILED or UNINSTALLED one starts over', async () => {
  for (const status of ['PENDING', 'INSTALLING', 'INSTALLED', 'UNINSTALLING'] as const) {
    const h = harness({ existing: installRow(status) });
    await assert.rejects(h.service.install(context(), { deviceId: DEVICE, applicationId: APP }), rejectsWith('CONFLICT'));
  }
  for (const status of ['FAILED', 'UNINSTALLED'] as const) {
    const h = harness({ existing: installRow(status) });
    assert.equal((await h.service.install(context(), { deviceId: DEVICE, applicationId: APP })).status, InstallStatus.PENDING);
  }
});

test('uninstalling an INSTALLED application moves it to UNINSTALLING', async () => {
  const h = harness({ existing: installRow('INSTALLED') });
  const install = await h.service.uninstall(context(), { deviceId: DEVICE, applicationId: APP });
  assert.equal(install.status, InstallStatus.UNINSTALLING);
  assert.deepEqual(h.writes, ['updateStatus:INSTALLED->UNINSTALLING']);
});

test('uninstalling an application that is not on the device is NOT_FOUND', async () => {
  await assert.rejects(harness({}).service.uninstall(context(), { deviceId: DEVICE, applicationId: APP }), rejectsWith('NOT_FOUND'));
  await assert.rejects(harness({ existing: installRow('UNINSTALLED') }).service.uninstall(context(), { deviceId: DEVICE, applicationId: APP }), rejectsWith('NOT_FOUND'));
});

test('uninstalling an install that is not INSTALLED is BAD_USER_INPUT and writes nothing', async () => {
  const h = harness({ existing: installRow('PENDING') });
  await assert.rejects(h.service.uninstall(context(), { deviceId: DEVICE, applicationId: APP }), rejectsWith('BAD_USER_INPUT'));
  assert.deepEqual(h.writes, []);
});

test('a completed install becomes INSTALLED with installedAt; a failed one keeps its error', async () => {
  const done = harness({ existing: installRow('INSTALLING') });
  const installed = await done.service.transition(INSTALL, InstallStatus.INSTALLED);
  assert.equal(installed.status, InstallStatus.INSTALLED);
  assert.ok(installed.installedAt instanceof Date);
  assert.equal(installed.error, null);

  const failed = await harness({ existing: installRow('INSTALLING') }).service.transition(INSTALL, InstallStatus.FAILED, { error: ' disk full ' });
  assert.equal(failed.status, InstallStatus.FAILED);
  assert.equal(failed.error, 'disk full');
  assert.equal(failed.installedAt, null);
});

test('a transition off the map is refused, an unknown install is NOT_FOUND, and a lost race is CONFLICT', async () => {
  await assert.rejects(harness({ existing: installRow('INSTALLED') }).service.transition(INSTALL, InstallStatus.INSTALLING), rejectsWith('BAD_USER_INPUT'));
  await assert.rejects(harness({}).service.transition(INSTALL, InstallStatus.INSTALLING), rejectsWith('NOT_FOUND'));
  await assert.rejects(harness({ existing: installRow('PENDING'), loseRace: true }).service.transition(INSTALL, InstallStatus.INSTALLING), rejectsWith('CONFLICT'));
});

// Data scopes, with the grants of the default roles (drizzle/users/0004_default_roles.sql) for installs.
const STRANGER = '0b9a7f0e-0000-4000-8000-0000000000bb';
const OTHER_TENANT = '0b9a7f0e-0000-4000-8000-0000000000f2';

function as(role: 'USER' | 'ADMIN' | 'GUEST', userId: string, tenantId: string): RequestContext {
  const dataScopes: Record<string, DataScope> = { application: 'ALL' };
  if (role !== 'GUEST') dataScopes['install'] = role === 'USER' ? 'SELF' : 'TENANT';
  const permissions = role === 'GUEST' ? ['application:read'] : ['application:read', 'install:read', 'install:write'];
  const principal: Principal = {
    kind: 'user',
    userId,
    tenantId,
    roles: [role],
    policy: { permissions, dataScopes, fieldRules: {} },
    credentialId: null,
    service: null,
  };
  return { requestId: 'test', principal, loaders: new LoaderRegistry() };
}

test('a USER installs on its own device only; on anyone else\'s it is FORBIDDEN and nothing is written', async () => {
  const own = harness({});
  assert.equal((await own.service.install(as('USER', OWNER, TENANT), { deviceId: DEVICE, applicationId: APP })).status, InstallStatus.PENDING);
  const theirs = harness({});
  await assert.rejects(theirs.service.install(as('USER', STRANGER, TENANT), { deviceId: DEVICE, applicationId: APP }), rejectsWith('FORBIDDEN'));
  assert.deepEqual(theirs.writes, []);
});

test('an ADMIN installs on the devices of its tenant, for their owner, and not on another tenant\'s', async () => {
  const h = harness({});
  await h.service.install(as('ADMIN', STRANGER, TENANT), { deviceId: DEVICE, applicationId: APP });
  assert.deepEqual(h.requested[0]?.row, { deviceId: DEVICE, applicationId: APP, userId: OWNER, tenantId: TENANT });
  const other = harness({});
  await assert.rejects(other.service.install(as('ADMIN', STRANGER, OTHER_TENANT), { deviceId: DEVICE, applicationId: APP }), rejectsWith('FORBIDDEN'));
  assert.deepEqual(other.writes, []);
});

test('without install:write, installing and uninstalling are FORBIDDEN before anything is asked', async () => {
  const h = harness({ existing: installRow('INSTALLED') });
  await assert.rejects(h.service.install(as('GUEST', OWNER, TENANT), { deviceId: DEVICE, applicationId: APP }), rejectsWith('FORBIDDEN'));
  await assert.rejects(h.service.uninstall(as('GUEST', OWNER, TENANT), { deviceId: DEVICE, applicationId: APP }), rejectsWith('FORBIDDEN'));
  assert.deepEqual(h.deviceCalls, []);
  assert.deepEqual(h.writes, []);
});

test('uninstalling someone else\'s install is FORBIDDEN; an install without a tenant is out of every TENANT scope', async () => {
  const h = harness({ existing: installRow('INSTALLED') });
  await assert.rejects(h.service.uninstall(as('USER', STRANGER, TENANT), { deviceId: DEVICE, applicationId: APP }), rejectsWith('FORBIDDEN'));
  const legacy = harness({ existing: { ...installRow('INSTALLED'), tenantId: null } });
  await assert.rejects(legacy.service.uninstall(as('ADMIN', STRANGER, TENANT), { deviceId: DEVICE, applicationId: APP }), rejectsWith('FORBIDDEN'));
  assert.deepEqual([...h.writes, ...legacy.writes], []);
  assert.equal((await legacy.service.uninstall(as('USER', OWNER, TENANT), { deviceId: DEVICE, applicationId: APP })).status, InstallStatus.UNINSTALLING);
});

test('reading installs by id: out of scope is FORBIDDEN for that key only, a missing one is null', async () => {
  const h = harness({ existing: installRow('INSTALLED') });
  const missing = '0b9a7f0e-0000-4000-8000-000000000099';
  const stranger = as('USER', STRANGER, TENANT);
  const [theirs, none] = await Promise.allSettled([h.service.byId(stranger, INSTALL), h.service.byId(stranger, missing)]);
  assert.ok(theirs.status === 'rejected' && rejectsWith('FORBIDDEN')(theirs.reason));
  assert.deepEqual(none, { status: 'fulfilled', value: null });
  assert.equal((await h.service.byId(as('USER', OWNER, TENANT), INSTALL))?.id, INSTALL);
  assert.equal((await h.service.byId(as('ADMIN', STRANGER, TENANT), INSTALL))?.id, INSTALL);
  await assert.rejects(h.service.byId(as('ADMIN', STRANGER, OTHER_TENANT), INSTALL), rejectsWith('FORBIDDEN'));
});
