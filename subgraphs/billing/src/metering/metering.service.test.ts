import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type DatabaseTarget, type SubgraphDatabase, dropDatabase, openDatabase } from '@cloudphone/db';
import { Outbox } from '@cloudphone/events';
import { and, eq } from 'drizzle-orm';
import { LedgerRepository } from '../balances/ledger.repository.js';
import { LedgerService } from '../balances/ledger.service.js';
import { BillingRulesRepository } from '../billing-rules/billing-rules.repository.js';
import { type BillingSettings, loadBillingSettings } from '../config.js';
import { migrationsFolder } from '../database/migrations.js';
import { balances, billingRules, invoices, orders, outbox, plans, usageRecords } from '../database/schema.js';
import { InvoicesRepository } from '../invoices/invoices.repository.js';
import { InvoicesService } from '../invoices/invoices.service.js';
import { runCost } from './cost.js';
import type { DeviceSpecsSource } from '../peers/devices.client.js';
import { MeteringRepository } from './metering.repository.js';
import { MeteringService, type StatusChange } from './metering.service.js';

const HOUR = 3_600_000;
const PRICE = 12; // minor units per hour of a REDROID 2/4096/32
const SPEC = { cpuCores: 2, memoryMb: 4096, storageGb: 32 };
const TENANT = randomUUID();
const settings: BillingSettings = { ...loadBillingSettings({}), lowBalanceMinor: 1_000, meteringIntervalMs: 15 * 60_000, meteringGraceMs: 60_000, invoiceCloseGraceMs: HOUR };

/**
 * The metering rules on a real database: PGlite, or PostgreSQL when
 * TEST_POSTGRES_URL is set (then also two replicas racing on one database).
 */
const postgresUrl = process.env['TEST_POSTGRES_URL'];
let target: DatabaseTarget = { kind: 'pglite' };
let database: SubgraphDatabase;
let replica: SubgraphDatabase | undefined;
let metering: MeteringService;
let ledger: LedgerRepository;
let invoicesService: InvoicesService;
const specsAsked: string[] = [];

function serviceOn(db: SubgraphDatabase): MeteringService {
  const specs: DeviceSpecsSource = {
    specsOf: async (deviceId) => {
      specsAsked.push(deviceId);
      return { provider: 'REDROID', spec: SPEC };
    },
  };
  const ledgerService = new LedgerService(new LedgerRepository(db), new Outbox('billing'), settings);
  return new MeteringService(db, new MeteringRepository(db), new BillingRulesRepository(db), new InvoicesRepository(db), ledgerService, specs, settings);
}

before(async () => {
  if (postgresUrl) {
    const url = new URL(postgresUrl);
    url.pathname = `/cloudphone_test_${randomBytes(4).toString('hex')}_metering`;
    target = { kind: 'postgres', url: url.toString(), poolSize: 5 };
  }
  database = await openDatabase({ service: 'billing', target, migrationsFolder });
  if (target.kind === 'postgres') replica = await openDatabase({ service: 'billing', target, migrationsFolder });
  metering = serviceOn(database);
  ledger = new LedgerRepository(database);
  invoicesService = new InvoicesService(new InvoicesRepository(database), settings);
  await database.db.insert(billingRules).values([
    { provider: 'REDROID', ...SPEC, pricePerHourMinor: PRICE, currency: 'USD' },
    { provider: 'REDROID', cpuCores: null, memoryMb: null, storageGb: null, pricePerHourMinor: 100, currency: 'USD' },
  ]);
});

after(async () => {
  await replica?.close();
  await database?.close();
  if (target.kind === 'postgres') await dropDatabase(target.url);
});

/** A user with `minor` on their USD balance (a recharge through the ledger). */
async function userWith(minor: number): Promise<string> {
  const userId = randomUUID();
  if (minor > 0) {
    await database.db.transaction((tx) =>
      ledger.post(tx, { userId, tenantId: TENANT, currency: 'USD', type: 'RECHARGE', amountMinor: minor, idempotencyKey: `test-recharge:${userId}`, referenceType: null, referenceId: null, description: 'test recharge' }),
    );
  }
  return userId;
}

function device(userId: string) {
  const deviceId = randomUUID();
  const change = (version: number, status: string, previousStatus: string, changedAt: string): StatusChange => ({ deviceId, userId, tenantId: TENANT, version, status, previousStatus, changedAt: new Date(changedAt) });
  return { deviceId, change };
}

const apply = (change: StatusChange, service = metering, db = database) => db.db.transaction((tx) => service.applyStatusChange(tx, change, { requestId: 'test' }));
const recordsOf = (deviceId: string) => database.db.select().from(usageRecords).where(eq(usageRecords.deviceId, deviceId)).orderBy(usageRecords.startedAt, usageRecords.segment);
const balanceOf = async (userId: string) => (await database.db.select().from(balances).where(and(eq(balances.userId, userId), eq(balances.currency, 'USD'))))[0]?.balanceMinor ?? 0;
const lowEvents = async (userId: string) => (await database.db.select().from(outbox).where(eq(outbox.routingKey, 'balance.low'))).filter((row) => (row.envelope.data as { userId: string }).userId === userId).length;

test('RUNNING -> STOPPED opens a record at the first changedAt, closes it at the second, and debits exactly its cost once', async () => {
  const userId = await userWith(5_000);
  const { deviceId, change } = device(userId);
  await apply(change(2, 'RUNNING', 'CREATING', '2025-03-10T10:00:00.000Z'));
  let [open] = await recordsOf(deviceId);
  assert.equal(open?.endedAt, null);
  assert.equal(open?.pricePerHourMinor, PRICE, 'the exact spec rule, not the provider default');
  await apply(change(3, 'STOPPED', 'RUNNING', '2025-03-10T11:30:00.001Z'));
  [open] = await recordsOf(deviceId);
  const expected = runCost(90 * 60_000 + 1, PRICE);
  assert.equal(expected, 19, '1.5 h + 1 ms at 12/h = 18.0000033 -> 19');
  assert.deepEqual([open?.durationMs, open?.costMinor, open?.chargedMinor, open?.unpaidMinor, open?.endedBy], [90 * 60_000 + 1, expected, expected, 0, 'STATUS_CHANGE']);
  assert.equal(await balanceOf(userId), 5_000 - expected);
  assert.equal(await ledger.ledgerSum(userId, 'USD'), await balanceOf(userId), 'the balance is the sum of its ledger');
  assert.equal((await ledger.findByKey(`usage:${open?.id}`))?.amountMinor, -expected);
  assert.deepEqual(specsAsked.filter((id) => id === deviceId), [deviceId], 'the devices subgraph is asked once per device');

  // The same change again (another event id, same device version): nothing more.
  await apply(change(3, 'STOPPED', 'RUNNING', '2025-03-10T11:30:00.001Z'));
  await apply(change(2, 'RUNNING', 'CREATING', '2025-03-10T10:00:00.000Z'));
  assert.equal((await recordsOf(deviceId)).length, 1);
  assert.equal(await balanceOf(userId), 5_000 - expected);
});

test('out of order: a stop that arrives before its start pairs with it when the start comes', async () => {
  const userId = await userWith(5_000);
  const { deviceId, change } = device(userId);
  await apply(change(5, 'STOPPED', 'RUNNING', '2025-03-10T12:00:00.000Z'));
  assert.equal((await recordsOf(deviceId)).length, 0, 'nothing to close yet');
  await apply(change(4, 'RUNNING', 'STOPPED', '2025-03-10T11:00:00.000Z'));
  const [record] = await recordsOf(deviceId);
  assert.deepEqual([record?.startedAt.toISOString(), record?.endedAt?.toISOString(), record?.costMinor], ['2025-03-10T11:00:00.000Z', '2025-03-10T12:00:00.000Z', PRICE]);
  assert.equal(await balanceOf(userId), 5_000 - PRICE);
});

test('out of order: a later change that skips the stop does not close the run; the stop does, at its own time', async () => {
  const userId = await userWith(5_000);
  const { deviceId, change } = device(userId);
  await apply(change(2, 'RUNNING', 'CREATING', '2025-03-10T10:00:00.000Z'));
  await apply(change(4, 'DELETED', 'STOPPED', '2025-03-10T13:00:00.000Z'));
  assert.equal((await recordsOf(deviceId))[0]?.endedAt, null, 'DELETED came from STOPPED: the stop is still on its way');
  const swept = await metering.sweep(new Date('2025-03-10T14:00:00Z'));
  assert.equal((await recordsOf(deviceId)).length, 1, `a run whose end is on its way is not cut (${swept.cut} cut)`);
  await apply(change(3, 'STOPPED', 'RUNNING', '2025-03-10T11:00:00.000Z'));
  const [record] = await recordsOf(deviceId);
  assert.deepEqual([record?.endedAt?.toISOString(), record?.costMinor], ['2025-03-10T11:00:00.000Z', PRICE]);
});

test('the sweep charges a long run at each cut-off, once, and the pieces add up to the uncut price', async () => {
  const userId = await userWith(50_000);
  const { deviceId, change } = device(userId);
  await apply(change(2, 'RUNNING', 'CREATING', '2025-05-10T10:07:00.001Z'));
  const first = await metering.sweep(new Date('2025-05-10T10:46:00Z'));
  assert.equal(first.cutoff.toISOString(), '2025-05-10T10:45:00.000Z');
  assert.ok(first.cut >= 1);
  await metering.sweep(new Date('2025-05-10T10:50:00Z'));
  let records = await recordsOf(deviceId);
  assert.deepEqual(
    records.map((record) => [record.segment, record.startedAt.toISOString(), record.endedAt?.toISOString() ?? null, record.endedBy]),
    [
      [0, '2025-05-10T10:07:00.001Z', '2025-05-10T10:45:00.000Z', 'PERIODIC_CUT'],
      [1, '2025-05-10T10:45:00.000Z', null, null],
    ],
    'a second sweep before the next cut-off changes nothing',
  );
  await metering.sweep(new Date('2025-05-10T11:16:00Z'));
  await apply(change(3, 'STOPPED', 'RUNNING', '2025-05-10T11:20:00.000Z'));
  records = await recordsOf(deviceId);
  assert.deepEqual(records.map((record) => record.segment), [0, 1, 2]);
  const total = records.reduce((sum, record) => sum + (record.costMinor ?? 0), 0);
  const runMs = new Date('2025-05-10T11:20:00.000Z').getTime() - new Date('2025-05-10T10:07:00.001Z').getTime();
  assert.equal(total, runCost(runMs, PRICE), 'rounded up once per run, not once per cut');
  assert.equal(await balanceOf(userId), 50_000 - total);
  assert.equal(records.filter((record) => record.endedAt === null).length, 0);
});

test('a stop that arrives after a cut past it ends the continuation empty (never before it started)', async () => {
  const userId = await userWith(5_000);
  const { deviceId, change } = device(userId);
  await apply(change(2, 'RUNNING', 'CREATING', '2025-05-11T10:00:00.000Z'));
  await metering.sweep(new Date('2025-05-11T10:31:00Z'));
  await apply(change(3, 'STOPPED', 'RUNNING', '2025-05-11T10:29:00.000Z'));
  const records = await recordsOf(deviceId);
  assert.deepEqual(records.map((record) => [record.segment, record.durationMs, record.costMinor]), [
    [0, 30 * 60_000, PRICE / 2],
    [1, 0, 0],
  ]);
});

test('a balance that cannot cover the cost is debited to zero; the rest is unpaid on the record; balance.low once', async () => {
  const userId = await userWith(1_005);
  const { deviceId, change } = device(userId);
  await apply(change(2, 'RUNNING', 'CREATING', '2025-03-12T00:00:00.000Z'));
  await apply(change(3, 'STOPPED', 'RUNNING', '2025-03-12T01:00:00.000Z'));
  assert.equal(await balanceOf(userId), 1_005 - PRICE);
  assert.equal(await lowEvents(userId), 1, 'crossing 1000 emits balance.low');
  await apply(change(4, 'RUNNING', 'STOPPED', '2025-03-12T02:00:00.000Z'));
  await apply(change(5, 'STOPPED', 'RUNNING', '2025-03-12T02:30:00.000Z'));
  assert.equal(await lowEvents(userId), 1, 'already below: no second balance.low');
  // A very long run: 100 hours cost 1200, more than what is left.
  await apply(change(6, 'RUNNING', 'STOPPED', '2025-03-13T00:00:00.000Z'));
  await apply(change(7, 'ERROR', 'RUNNING', '2025-03-17T04:00:00.000Z'));
  const last = (await recordsOf(deviceId)).at(-1);
  const left = 1_005 - PRICE - PRICE / 2;
  assert.deepEqual([last?.costMinor, last?.chargedMinor, last?.unpaidMinor], [100 * PRICE, left, 100 * PRICE - left]);
  assert.equal(await balanceOf(userId), 0);
  assert.equal(await ledger.ledgerSum(userId, 'USD'), 0);
});

test('time covered by a paid plan order for the device is recorded at no cost', async () => {
  const userId = await userWith(5_000);
  const { deviceId, change } = device(userId);
  const [plan] = await database.db.insert(plans).values({ name: `Plan ${randomUUID()}`, tier: 'BASIC', priceMinor: 999, currency: 'USD', periodDays: 1, cpuCores: 2, memoryMb: 4096, storageGb: 32, maxDevices: 1 }).returning();
  assert.ok(plan);
  const paidAt = new Date('2025-03-20T12:00:00.000Z');
  await database.db.insert(orders).values({ userId, tenantId: TENANT, deviceId, planId: plan.id, amountMinor: 999, currency: 'USD', status: 'PAID', userName: 'u', userEmail: 'u@example.com', userVersion: 1, paidAt, expiresAt: paidAt });
  // Runs from 10:00 on the 20th to 14:00 on the 21st: 28 h, of which the plan's day (12:00 to 12:00) is covered.
  await apply(change(2, 'RUNNING', 'CREATING', '2025-03-20T10:00:00.000Z'));
  await apply(change(3, 'STOPPED', 'RUNNING', '2025-03-21T14:00:00.000Z'));
  const [record] = await recordsOf(deviceId);
  assert.deepEqual([record?.durationMs, record?.coveredMs, record?.costMinor], [28 * HOUR, 24 * HOUR, 4 * PRICE]);
});

test('invoices: usage lands on the month it ended in; closing freezes the totals once', async () => {
  const userId = await userWith(20);
  const { change } = device(userId);
  await apply(change(2, 'RUNNING', 'CREATING', '2025-06-30T22:00:00.000Z'));
  await apply(change(3, 'STOPPED', 'RUNNING', '2025-06-30T23:00:00.000Z'));
  await apply(change(4, 'RUNNING', 'STOPPED', '2025-07-01T01:00:00.000Z'));
  await apply(change(5, 'STOPPED', 'RUNNING', '2025-07-01T03:00:00.000Z'));
  const mine = () => database.db.select().from(invoices).where(eq(invoices.userId, userId)).orderBy(invoices.periodStart);
  assert.deepEqual((await mine()).map((invoice) => [invoice.periodStart.toISOString(), invoice.status]), [
    ['2025-06-01T00:00:00.000Z', 'OPEN'],
    ['2025-07-01T00:00:00.000Z', 'OPEN'],
  ]);
  const early = await invoicesService.closeDue(new Date('2025-07-01T00:30:00Z'));
  assert.ok(!(await mine()).some((invoice) => invoice.status === 'CLOSED'), `within the grace nothing of this user closes (${early.closed} closed)`);
  await invoicesService.closeDue(new Date('2025-07-01T01:30:00Z'));
  const [june, july] = await mine();
  assert.deepEqual([june?.status, june?.totalMinor, june?.chargedMinor, june?.dueMinor, june?.creditedMinor], ['CLOSED', PRICE, PRICE, 0, 0]);
  assert.equal(july?.status, 'OPEN');
  const closedAt = june?.closedAt;
  await invoicesService.closeDue(new Date('2025-08-02T00:00:00Z'));
  const [juneAgain, julyClosed] = await mine();
  assert.deepEqual(juneAgain?.closedAt, closedAt, 'closing again changes nothing');
  assert.deepEqual([julyClosed?.totalMinor, julyClosed?.chargedMinor, julyClosed?.dueMinor], [2 * PRICE, 20 - PRICE, 2 * PRICE - (20 - PRICE)], 'what the balance missed is due');
});

test('two replicas sweeping at once, and a stop racing the sweep, cut and charge each segment once', async (context) => {
  if (!replica) return context.skip('needs PostgreSQL (TEST_POSTGRES_URL): PGlite is one connection');
  const other = serviceOn(replica);
  const users = await Promise.all(Array.from({ length: 6 }, () => userWith(100_000)));
  const devices = users.map((userId) => device(userId));
  for (const each of devices) await apply(each.change(2, 'RUNNING', 'CREATING', '2025-09-01T08:00:00.000Z'));
  // The stops happen after the cut-off: whether the sweep or the stop gets to a device first, the run is charged to the stop, once.
  const stops = devices.slice(0, 3).map((each) => apply(each.change(3, 'STOPPED', 'RUNNING', '2025-09-01T09:15:30.000Z'), other, replica));
  await Promise.all([metering.sweep(new Date('2025-09-01T09:16:00Z')), other.sweep(new Date('2025-09-01T09:16:00Z')), ...stops]);
  await metering.sweep(new Date('2025-09-01T09:16:00Z'));
  for (const [index, each] of devices.entries()) {
    const records = await recordsOf(each.deviceId);
    const stopped = index < 3;
    assert.equal(records.filter((record) => record.endedAt === null).length, stopped ? 0 : 1, `device ${index}: one open continuation unless stopped`);
    assert.equal(new Set(records.map((record) => record.segment)).size, records.length, 'no segment twice');
    const charged = records.reduce((sum, record) => sum + (record.costMinor ?? 0), 0);
    const ms = (stopped ? 75.5 : 75) * 60_000;
    assert.equal(charged, runCost(ms, PRICE));
    assert.equal(await balanceOf(users[index] ?? ''), 100_000 - charged);
  }
});
