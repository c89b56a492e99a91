import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type SubgraphDatabase, openDatabase } from '@cloudphone/db';
import { Outbox } from '@cloudphone/events';
import type { DataScope, FieldRule, Principal } from '@cloudphone/identity';
import { LoaderRegistry, type RequestContext, SortDirection, serviceContext } from '@cloudphone/subgraph-kit';
import { eq } from 'drizzle-orm';
import { migrationsFolder } from '../database/migrations.js';
import { orders } from '../database/schema.js';
import { seedBilling } from '../database/seed.js';
import type { DevicesClient } from '../peers/devices.client.js';
import type { RemoteUser, UsersClient } from '../peers/users.client.js';
import { PlansRepository } from '../plans/plans.repository.js';
import { PlansService } from '../plans/plans.service.js';
import { OrderOrderField } from './models/order.model.js';
import { loadBillingSettings } from '../config.js';
import { SagasRepository } from '../sagas/sagas.repository.js';
import { OrdersRepository } from './orders.repository.js';
import { OrdersService } from './orders.service.js';

const id = (n: number) => `5c0e0000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const TENANT = id(900);
const OTHER_TENANT = id(901);
const [ANN, BOB, CAT, DAN] = [id(1), id(2), id(3), id(4)];
const PLAN = id(500);

/** Ann and Bob share a tenant, Cat is in another, Dan's order predates tenant copies (null tenant). */
const USERS: Record<string, RemoteUser> = {
  [ANN]: { id: ANN, username: 'ann', email: 'ann@example.com', displayName: 'Ann', version: 1, tenantId: TENANT },
  [BOB]: { id: BOB, username: 'bob', email: 'bob@example.com', displayName: 'Bob', version: 1, tenantId: TENANT },
  [CAT]: { id: CAT, username: 'cat', email: 'cat@example.com', displayName: 'Cat', version: 1, tenantId: OTHER_TENANT },
  [DAN]: { id: DAN, username: 'dan', email: 'dan@example.com', displayName: 'Dan', version: 1, tenantId: TENANT },
};

let database: SubgraphDatabase;
let repository: OrdersRepository;
let service: OrdersService;

/** The default roles' grants on orders (drizzle/users/0004_default_roles.sql). */
function as(role: 'USER' | 'ADMIN' | 'GUEST', userId: string, tenantId: string): RequestContext {
  const dataScopes: Record<string, DataScope> = { plan: 'ALL' };
  const fieldRules: Record<string, FieldRule> = role === 'ADMIN' ? { 'user.email': 'MASKED' } : {};
  if (role !== 'GUEST') dataScopes['order'] = role === 'USER' ? 'SELF' : 'TENANT';
  const permissions = role === 'GUEST' ? ['plan:read'] : ['plan:read', 'order:read', 'order:write'];
  const principal: Principal = { kind: 'user', userId, tenantId, roles: [role], policy: { permissions, dataScopes, fieldRules }, credentialId: null, service: null };
  return { requestId: 'test', principal, loaders: new LoaderRegistry() };
}

const isForbidden = (error: unknown) => (error as { code?: string }).code === 'FORBIDDEN';

before(async () => {
  database = await openDatabase({ service: 'billing', target: { kind: 'pglite' }, migrationsFolder });
  repository = new OrdersRepository(database, new Outbox('billing'));
  const users = { findById: async (_context: RequestContext, userId: string) => USERS[userId] ?? null };
  const devices = { findById: async () => null };
  service = new OrdersService(repository, new PlansService(new PlansRepository(database)), users as unknown as UsersClient, devices as unknown as DevicesClient, new SagasRepository(database), loadBillingSettings({}));
  const now = new Date('2025-01-01T00:00:00Z');
  const order = (n: number, userId: string, tenantId: string | null, status: 'PENDING' | 'PAID' = 'PAID') => {
    const createdAt = new Date(now.getTime() + n * 60_000);
    const user = USERS[userId] as RemoteUser;
    return { id: id(100 + n), userId, tenantId, planId: PLAN, amountMinor: 999, currency: 'USD', status, userName: user.displayName, userEmail: user.email, userVersion: 1, createdAt, updatedAt: createdAt, expiresAt: new Date(createdAt.getTime() + 900_000) };
  };
  await seedBilling(database, {
    plans: [{ id: PLAN, name: 'Basic', tier: 'BASIC', priceMinor: 999, currency: 'USD', periodDays: 30, cpuCores: 2, memoryMb: 4096, storageGb: 32, maxDevices: 3 }],
    orders: [order(1, ANN, TENANT), order(2, ANN, TENANT), order(3, BOB, TENANT, 'PENDING'), order(4, CAT, OTHER_TENANT), order(5, DAN, null)],
  });
});

after(async () => {
  await database?.close();
});

test('orders lists are filtered in SQL by the scope, so totalCount counts only what the principal reaches', async () => {
  const total = async (context: RequestContext) => (await service.list(context, { first: 10 }, null, null)).totalCount;
  assert.equal(await total(as('USER', ANN, TENANT)), 2);
  assert.equal(await total(as('ADMIN', BOB, TENANT)), 3, "Ann's and Bob's; not Cat's (other tenant) nor Dan's (no tenant)");
  assert.equal(await total(serviceContext('billing', 'test')), 5);
  await assert.rejects(service.list(as('GUEST', ANN, TENANT), { first: 10 }, null, null), isForbidden);
  const page = await service.list(as('USER', ANN, TENANT), { first: 1 }, { userId: BOB }, null);
  assert.equal(await page.totalCount, 0, "filtering on Bob gives Ann none of Bob's");
});

test("User.orders and latestOrder of another user are empty for a USER; an ADMIN sees its tenant's", async () => {
  const ann = as('USER', ANN, TENANT);
  assert.equal((await service.ordersOfUser(ann, BOB, { first: 10 }, undefined)).totalCount, 0);
  assert.equal(await service.latestOfUser(ann, BOB), null);
  assert.equal((await service.ordersOfUser(ann, ANN, { first: 10 }, undefined)).totalCount, 2);
  const admin = as('ADMIN', BOB, TENANT);
  assert.equal((await service.ordersOfUser(admin, ANN, { first: 10 }, undefined)).totalCount, 2);
  assert.equal(await service.latestOfUser(admin, CAT), null);
});

test('an order out of scope is FORBIDDEN for its key only; a missing one is null', async () => {
  const ann = as('USER', ANN, TENANT);
  const [own, bobs, missing] = await Promise.allSettled([service.byId(ann, id(101)), service.byId(ann, id(103)), service.byId(ann, id(199))]);
  assert.equal(own.status === 'fulfilled' && own.value?.id, id(101));
  assert.ok(bobs.status === 'rejected' && isForbidden(bobs.reason));
  assert.deepEqual(missing, { status: 'fulfilled', value: null });
});

test("the copied e-mail is masked for an ADMIN on others' orders, read in full on one's own; sorting by it is refused to the ADMIN", async () => {
  const admin = as('ADMIN', BOB, TENANT);
  const annsOrder = await service.byId(admin, id(101));
  assert.ok(annsOrder);
  assert.equal(service.copiesOf(admin, annsOrder).userEmail, 'a***@example.com');
  const bobsOrder = await service.byId(admin, id(103));
  assert.ok(bobsOrder);
  assert.equal(service.copiesOf(admin, bobsOrder).userEmail, 'bob@example.com');
  const byEmail = { field: OrderOrderField.USER_EMAIL, direction: SortDirection.ASC };
  await assert.rejects(service.list(admin, { first: 10 }, null, byEmail), isForbidden);
  assert.equal(await (await service.list(as('USER', ANN, TENANT), { first: 10 }, null, byEmail)).totalCount, 2);
});

test('creating and cancelling orders stay within the write scope; the tenant is copied from the user', async () => {
  const ann = as('USER', ANN, TENANT);
  const before = (await database.db.select().from(orders)).length;
  await assert.rejects(service.create(ann, { userId: BOB, planId: PLAN }), isForbidden);
  await assert.rejects(service.create(as('ADMIN', BOB, TENANT), { userId: CAT, planId: PLAN }), isForbidden);
  assert.equal((await database.db.select().from(orders)).length, before, 'nothing written');

  const created = await service.create(as('ADMIN', BOB, TENANT), { userId: ANN, planId: PLAN });
  const [row] = await database.db.select().from(orders).where(eq(orders.id, created.id));
  assert.equal(row?.tenantId, TENANT);

  await assert.rejects(service.cancel(ann, id(103)), isForbidden);
  const [bobs] = await repository.findByIds([id(103)]);
  assert.equal(bobs?.status, 'PENDING', "Bob's order is untouched");
  assert.equal((await service.cancel(ann, created.id)).status, 'CANCELLED');
});

test("a user event fills the tenant of that user's older orders", async () => {
  await database.db.transaction((tx) => repository.applyUserSnapshot(tx, { userId: DAN, tenantId: TENANT, displayName: 'Dan', email: 'dan@example.com', version: 2 }));
  assert.equal((await service.ordersOfUser(as('ADMIN', BOB, TENANT), DAN, { first: 10 }, undefined)).totalCount, 1);
});
