import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type SubgraphDatabase, openDatabase } from '@cloudphone/db';
import { AppError } from '@cloudphone/errors';
import { type Principal, type RoleGrants, compilePolicy } from '@cloudphone/identity';
import { LoaderRegistry, type RequestContext, serviceContext } from '@cloudphone/subgraph-kit';
import { migrationsFolder } from '../database/migrations.js';
import { seedScheduler } from '../database/seed.js';
import { NodeResourcesRepository } from '../nodes/node-resources.repository.js';
import { NodeResourcesService } from '../nodes/node-resources.service.js';
import { AllocationsRepository } from './allocations.repository.js';
import { AllocationsService } from './allocations.service.js';

const id = (n: number) => `8b3c4d5e-0000-4000-8000-${String(n).padStart(12, '0')}`;
const NODE = id(1);
const TENANT_A = id(2);
const TENANT_B = id(3);
const ALICE = id(4); // USER in A
const BOB = id(5); // USER in A
const CAROL = id(6); // USER in B
const spec = { cpuCores: 1, memoryMb: 1024, storageGb: 8 };

/** The default roles of drizzle/users/0004_default_roles.sql, for the resources this subgraph serves. */
const ROLES: Record<'USER' | 'ADMIN', RoleGrants> = {
  USER: { permissions: ['allocation:read', 'device:read'], dataScopes: { allocation: 'SELF', device: 'SELF' }, fieldRules: {} },
  ADMIN: { permissions: ['allocation:read', 'allocation:write', 'node:read'], dataScopes: { allocation: 'TENANT', node: 'ALL' }, fieldRules: {} },
};

function as(role: keyof typeof ROLES, userId: string, tenantId: string): RequestContext {
  const principal: Principal = { kind: 'user', userId, tenantId, roles: [role], policy: compilePolicy([ROLES[role]]), credentialId: null, service: null };
  return { requestId: 'test', principal, loaders: new LoaderRegistry() };
}
const alice = () => as('USER', ALICE, TENANT_A);
const adminA = () => as('ADMIN', id(7), TENANT_A);
const devicesService = () => serviceContext('devices', 'test');

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof AppError && error.code === code);
}

let database: SubgraphDatabase;
let allocations: AllocationsService;
let resources: NodeResourcesService;

before(async () => {
  database = await openDatabase({ service: 'scheduler', target: { kind: 'pglite' }, migrationsFolder });
  await seedScheduler(database, {
    nodes: [{ nodeId: NODE, name: 'node-a', status: 'ONLINE', region: 'r', zone: 'z', labels: {}, cpuCapacity: 8, memoryMbCapacity: 8192, storageGbCapacity: 100, deviceSlots: 5, sourceVersion: 1 }],
    allocations: [],
  });
  const nodes = new NodeResourcesRepository(database);
  allocations = new AllocationsService(new AllocationsRepository(database), nodes, { defaultStrategy: 'WEIGHTED', reservationTtlMs: 60_000, sweepIntervalMs: 15_000 });
  resources = new NodeResourcesService(nodes);
});
after(async () => {
  await database.close();
});

const claim = (deviceId: string, userId: string, tenantId: string) => ({ deviceId, userId, tenantId, ...spec });

test('reserving and releasing capacity is for services only', async () => {
  await rejectsWith(allocations.reserve(alice(), claim(id(10), ALICE, TENANT_A)), 'FORBIDDEN');
  await rejectsWith(allocations.reserve(adminA(), claim(id(10), ALICE, TENANT_A)), 'FORBIDDEN');
  await rejectsWith(allocations.release(adminA(), id(10), 'test'), 'FORBIDDEN');
  for (const [device, userId, tenantId] of [[id(10), ALICE, TENANT_A], [id(11), BOB, TENANT_A], [id(12), CAROL, TENANT_B]] as const) {
    assert.equal((await allocations.reserve(devicesService(), claim(device, userId, tenantId))).deviceId, device);
  }
});

test("allocations by id and Device.allocation: FORBIDDEN out of the caller's scope, for that key only", async () => {
  const context = alice();
  const [mine, bobs, none] = await Promise.allSettled([allocations.latestForDevice(context, id(10)), allocations.latestForDevice(context, id(11)), allocations.latestForDevice(context, id(99))]);
  assert.ok(mine.status === 'fulfilled' && mine.value?.userId === ALICE);
  assert.ok(bobs.status === 'rejected' && bobs.reason instanceof AppError && bobs.reason.code === 'FORBIDDEN');
  assert.ok(none.status === 'fulfilled' && none.value === null);

  const bobsAllocation = await allocations.latestForDevice(adminA(), id(11));
  assert.equal(bobsAllocation?.userId, BOB, 'an ADMIN reads its tenant');
  assert.ok(bobsAllocation);
  await rejectsWith(allocations.byId(alice(), bobsAllocation.id), 'FORBIDDEN');
  await rejectsWith(allocations.latestForDevice(adminA(), id(12)), 'FORBIDDEN');
  assert.equal((await allocations.latestForDevice(devicesService(), id(12)))?.userId, CAROL);
});

test('Node.resources needs node:read', async () => {
  await rejectsWith(resources.forNode(alice(), NODE), 'FORBIDDEN');
  assert.equal((await resources.forNode(adminA(), NODE))?.deviceSlots.allocated, 3);
});
