import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type SubgraphDatabase, openDatabase } from '@cloudphone/db';
import { AppError } from '@cloudphone/errors';
import { Outbox } from '@cloudphone/events';
import { type Principal, type RoleGrants, compilePolicy } from '@cloudphone/identity';
import type { SystemConfigReader } from '@cloudphone/system-config';
import { LoaderRegistry, type RequestContext, SortDirection, serviceContext } from '@cloudphone/subgraph-kit';
import { migrationsFolder } from '../database/migrations.js';
import { seedDevices } from '../database/seed.js';
import { NodesRepository } from '../nodes/nodes.repository.js';
import { NodesService } from '../nodes/nodes.service.js';
import type { PlacementClient } from '../placement/placement.client.js';
import { QuotaGuard } from '../quotas/quota-guard.js';
import { TemplatesRepository } from '../templates/templates.repository.js';
import { TemplatesService } from '../templates/templates.service.js';
import type { UsersClient } from '../users/users.client.js';
import { DevicesRepository } from './devices.repository.js';
import { DevicesService } from './devices.service.js';
import { DeviceOrderField, DeviceProvider, DeviceStatus } from './models/device.model.js';
import { DeviceOwnerCopyResolver } from './owner-copy.resolver.js';

const id = (n: number) => `5e0a1b2c-0000-4000-8000-${String(n).padStart(12, '0')}`;
const TENANT_A = id(900);
const TENANT_B = id(901);
const ALICE = id(100); // USER in A
const BOB = id(101); // USER in A
const CAROL = id(102); // USER in B
const ADMIN_A = id(103);
const NODE = id(300);
const OWNERS = new Map([
  [ALICE, { id: ALICE, tenantId: TENANT_A, displayName: 'Alice', email: 'alice@example.com', status: 'ACTIVE', version: 1 }],
  [BOB, { id: BOB, tenantId: TENANT_A, displayName: 'Bob', email: 'bob@example.com', status: 'ACTIVE', version: 1 }],
  [CAROL, { id: CAROL, tenantId: TENANT_B, displayName: 'Carol', email: 'carol@example.com', status: 'ACTIVE', version: 1 }],
]);
const QUOTA = { maxDevices: 100, maxRunningDevices: 100, maxCpuCores: 1000, maxMemoryMb: 1_000_000, maxStorageGb: 10_000, status: 'ACTIVE' };
// Devices: 1-2 Alice's, 3 Bob's, 4 Carol's.
const DEVICE_OWNERS: [number, string][] = [[1, ALICE], [2, ALICE], [3, BOB], [4, CAROL]];

/** The default roles of drizzle/users/0004_default_roles.sql, for the resources this subgraph serves. */
const ROLES: Record<'USER' | 'ADMIN' | 'SUPER_ADMIN', RoleGrants> = {
  USER: { permissions: ['device:read', 'device:write', 'template:read', 'user:read'], dataScopes: { device: 'SELF', template: 'ALL', user: 'SELF' }, fieldRules: {} },
  ADMIN: { permissions: ['device:read', 'device:write', 'node:read', 'template:read', 'user:read'], dataScopes: { device: 'TENANT', node: 'ALL', template: 'ALL', user: 'TENANT' }, fieldRules: { 'user.email': 'MASKED' } },
  SUPER_ADMIN: { permissions: ['device:read', 'device:write', 'node:read', 'node:write', 'template:read', 'template:write', 'user:read'], dataScopes: { device: 'ALL', node: 'ALL', template: 'ALL', user: 'ALL' }, fieldRules: {} },
};

function as(role: keyof typeof ROLES, userId: string, tenantId: string): RequestContext {
  const principal: Principal = { kind: 'user', userId, tenantId, roles: [role], policy: compilePolicy([ROLES[role]]), credentialId: null, service: null };
  return { requestId: 'test', principal, loaders: new LoaderRegistry() };
}
const alice = () => as('USER', ALICE, TENANT_A);
const adminA = () => as('ADMIN', ADMIN_A, TENANT_A);
const superAdmin = () => as('SUPER_ADMIN', id(104), TENANT_B);

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof AppError && error.code === code);
}

let database: SubgraphDatabase;
let devices: DevicesService;
let nodes: NodesService;
/** Users the stub users subgraph was asked about: a refused createDevice asks nothing. */
const asked: string[] = [];

before(async () => {
  database = await openDatabase({ service: 'devices', target: { kind: 'pglite' }, migrationsFolder });
  await seedDevices(database, {
    nodes: [{ id: NODE, name: 'node-1', region: 'eu', zone: 'eu-1', cpuCapacity: 64, memoryMbCapacity: 262_144, storageGbCapacity: 4096, deviceSlots: 50 }],
    templates: [],
    devices: DEVICE_OWNERS.map(([n, userId]) => {
      const owner = OWNERS.get(userId);
      assert.ok(owner);
      return { id: id(n), userId, tenantId: owner.tenantId, ownerName: owner.displayName, ownerEmail: owner.email, ownerVersion: 1, name: `phone-${n}`, provider: 'REDROID' as const, cpuCores: 2, memoryMb: 4096, storageGb: 32, androidVersion: '13', nodeId: NODE, status: 'RUNNING' as const };
    }),
  });
  const users = {
    async ownerWithQuota(userId: string) {
      asked.push(userId);
      return { owner: OWNERS.get(userId) ?? null, quota: QUOTA };
    },
    quotaOf: async () => QUOTA,
  } as unknown as UsersClient;
  const placement = { reserve: async () => ({ id: id(500), nodeId: NODE }), release: async () => undefined } as unknown as PlacementClient;
  const outbox = new Outbox('devices');
  const repository = new DevicesRepository(database, outbox);
  const config = { setting: async () => '13' } as unknown as SystemConfigReader;
  devices = new DevicesService(repository, new TemplatesService(new TemplatesRepository(database)), users, placement, new QuotaGuard(users, repository), config);
  nodes = new NodesService(new NodesRepository(database, outbox));
});
after(async () => {
  await database.close();
});

const ids = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((edge) => edge.node.id).sort();

test('lists are scoped in SQL: a USER its own devices, an ADMIN its tenant, a SUPER_ADMIN and services all, with counts to match', async () => {
  const own = await devices.list(alice(), { first: 1 }, null, null);
  assert.equal(await own.totalCount, 2, 'the count sees only what the caller reaches');
  assert.equal(own.pageInfo.hasNextPage, true);
  assert.deepEqual(ids(await devices.list(alice(), {}, { userId: BOB }, null)), [], "filtering on another user's devices finds none");
  assert.deepEqual(ids(await devices.list(adminA(), {}, null, null)), [id(1), id(2), id(3)]);
  assert.equal(await (await devices.list(superAdmin(), {}, null, null)).totalCount, 4);
  assert.equal(await (await devices.list(serviceContext('scheduler', 'test'), {}, null, null)).totalCount, 4);
});

test('device by id (and _entities): out of scope is FORBIDDEN for that key only, missing is null', async () => {
  const context = alice();
  const [mine, bobs, missing] = await Promise.allSettled([devices.byId(context, id(1)), devices.byId(context, id(3)), devices.byId(context, id(99))]);
  assert.equal(mine.status === 'fulfilled' && mine.value?.id, id(1));
  assert.ok(bobs.status === 'rejected' && bobs.reason instanceof AppError && bobs.reason.code === 'FORBIDDEN');
  assert.ok(missing.status === 'fulfilled' && missing.value === null);
  await rejectsWith(devices.byId(adminA(), id(4)), 'FORBIDDEN');
  assert.equal((await devices.byId(adminA(), id(3)))?.id, id(3));
});

test("User.devices is scoped: a USER gets nothing of another user's, an ADMIN nothing of another tenant's", async () => {
  const context = alice();
  const [mine, bobs] = await Promise.all([devices.ofOwner(context, ALICE, {}, null), devices.ofOwner(context, BOB, {}, null)]);
  assert.deepEqual([mine.totalCount, bobs.totalCount, bobs.edges.length], [2, 0, 0]);
  assert.equal((await devices.ofOwner(adminA(), CAROL, {}, null)).totalCount, 0);
  assert.equal((await devices.ofOwner(adminA(), BOB, {}, null)).totalCount, 1);
});

test('mutations need device:write over the device; createDevice only for an owner in write scope', async () => {
  await rejectsWith(devices.changeStatus(alice(), id(3), DeviceStatus.STOPPED), 'FORBIDDEN');
  assert.equal((await devices.byId(superAdmin(), id(3)))?.status, DeviceStatus.RUNNING, 'nothing changed');
  await rejectsWith(devices.update(adminA(), id(4), { name: 'mine now' }), 'FORBIDDEN');
  await rejectsWith(devices.restart(alice(), id(4)), 'FORBIDDEN');
  const batch = await devices.forEach([id(2), id(3)], (deviceId) => devices.changeStatus(alice(), deviceId, DeviceStatus.STOPPED));
  assert.deepEqual(batch.map((result) => result.error?.code ?? result.device?.status), [DeviceStatus.STOPPED, 'FORBIDDEN']);

  const input = (userId: string) => ({ userId, name: 'new phone', provider: DeviceProvider.REDROID, templateId: null, androidVersion: '13', spec: { cpuCores: 1, memoryMb: 1024, storageGb: 8 } });
  await rejectsWith(devices.create(alice(), input(BOB)), 'FORBIDDEN');
  assert.deepEqual(asked, [], 'a USER creating for someone else is refused before anyone is asked');
  await rejectsWith(devices.create(adminA(), input(CAROL)), 'FORBIDDEN');
  assert.equal((await devices.create(adminA(), input(BOB))).userId, BOB);
});

test("owner e-mails: masked for an ADMIN unless its own, not searchable or sortable by a role that masks them", async () => {
  const resolver = new DeviceOwnerCopyResolver();
  const copy = (userId: string, email: string) => ({ name: 'x', email, version: 1, userId });
  assert.equal(resolver.email(copy(BOB, 'bob@example.com'), adminA()), 'b***@example.com');
  assert.equal(resolver.email(copy(ADMIN_A, 'admin@example.com'), adminA()), 'admin@example.com');
  assert.equal(resolver.email(copy(BOB, 'bob@example.com'), superAdmin()), 'bob@example.com');
  assert.equal(resolver.email(copy(BOB, 'bob@example.com'), serviceContext('tools', 'test')), 'bob@example.com');

  assert.equal(await (await devices.list(adminA(), {}, { owner: 'bob@' }, null)).totalCount, 0, 'no prefix probe of masked e-mails');
  assert.equal(await (await devices.list(adminA(), {}, { owner: 'Bob' }, null)).totalCount, 2, 'names still match');
  await rejectsWith(devices.list(adminA(), {}, null, { field: DeviceOrderField.OWNER_EMAIL, direction: SortDirection.ASC }), 'FORBIDDEN');
  assert.equal(await (await devices.list(alice(), {}, { owner: 'alice@' }, { field: DeviceOrderField.OWNER_EMAIL, direction: SortDirection.ASC })).totalCount, 2, 'one reads its own e-mail');
});

test('nodes need node:read to read (a USER has none) and node:write to change (SUPER_ADMIN, services)', async () => {
  await rejectsWith(nodes.list(alice(), {}, null), 'FORBIDDEN');
  await rejectsWith(nodes.byId(alice(), NODE), 'FORBIDDEN');
  assert.equal(await (await nodes.list(adminA(), {}, null)).totalCount, 1);
  assert.equal((await nodes.byId(adminA(), NODE))?.id, NODE);
  await rejectsWith(nodes.update(adminA(), NODE, { labels: [] }), 'FORBIDDEN');
  await rejectsWith(nodes.heartbeat(adminA(), NODE), 'FORBIDDEN');
  assert.equal((await nodes.heartbeat(serviceContext('node-agent', 'test'), NODE)).id, NODE);
  assert.equal((await nodes.update(superAdmin(), NODE, { labels: [{ key: 'gpu', value: 'yes' }] })).labels.length, 1);
});
