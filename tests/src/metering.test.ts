import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type AnyEventEnvelope, type BroadcastSubscription, type EventTransport, createEnvelope, createTransport } from '@cloudphone/events';
import { type GraphQLResult, graphql, realRabbitMq } from '@cloudphone/testing';
import postgres from 'postgres';
import { type SignedIn, createTenant, signIn } from './support/auth.js';
import { TEST_PROVIDER_SECRET, balanceOf, cents, inAppNotifications, ledgerSumCents, notifiedOf, rechargeAndWait } from './support/billing.js';
import { eventually } from './support/events.js';
import { cluster } from './support/nodes.js';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';
import { setDeviceRunning } from './support/subscriptions.js';

/** Runs are priced at 3600.00 USD per hour: 100 minor units a second, so short runs cost something measurable. */
const LOW_BALANCE_MINOR = 1_000;
const SPEC = { cpuCores: 2, memoryMb: 2048, storageGb: 16 };

let stack: TestStack | undefined;
let publisher: EventTransport | undefined;
let listening: BroadcastSubscription | undefined;
const heard: AnyEventEnvelope[] = [];
let pool = '';
let tenantId = '';

before(async () => {
  Object.assign(process.env, { BILLING_LOW_BALANCE_MINOR: String(LOW_BALANCE_MINOR), PAYMENT_PROVIDER_SECRET: TEST_PROVIDER_SECRET, PAYMENT_PROVIDER_DELAY_MS: '50' });
  stack = await startTestStack(await preferredKind(), null, {}, { amqpUrl: await realRabbitMq(), retry: { maxAttempts: 5, baseMs: 50, factor: 2 } });
  assert.ok(stack);
  publisher = createTransport({ amqpUrl: stack.events.amqpUrl, namespace: stack.events.namespace });
  listening = await publisher.broadcast(['balance.low', 'device.status.changed'], (envelope) => void heard.push(envelope));
  tenantId = await createTenant(stack);
  ({ pool } = await cluster(stack, [50]));
  await setPrice('3600.00');
});
after(async () => {
  await listening?.cancel();
  await publisher?.close();
  await stack?.close();
});

function running(): TestStack {
  assert.ok(stack);
  return stack;
}

function call<T>(query: string, variables: Record<string, unknown> = {}, headers = running().admin.headers): Promise<GraphQLResult<T>> {
  return graphql<T>(running().gatewayUrl, query, variables, headers);
}

interface Usage {
  id: string;
  startedAt: string;
  endedAt: string | null;
  endedBy: string | null;
  durationMs: number | null;
  pricePerHour: string | null;
  currency: string;
  cost: string | null;
  charged: string | null;
  unpaid: string | null;
}

const USAGE = 'query($id: ID!) { device(id: $id) { usage(first: 20) { totalCount edges { node { id startedAt endedAt endedBy durationMs pricePerHour currency cost charged unpaid } } } } }';

async function usageOf(deviceId: string, headers = running().admin.headers): Promise<Usage[]> {
  const result = await call<{ device: { usage: { edges: { node: Usage }[] } | null } }>(USAGE, { id: deviceId }, headers);
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  return result.data?.device.usage?.edges.map((edge) => edge.node) ?? [];
}

/**
 * A new USER of the test tenant (`fund` runs before the device exists, e.g. a recharge) with a RUNNING device
 * (provisioning moves it to RUNNING, which opens its first usage record).
 */
async function userWithRunningDevice(fund: (user: SignedIn) => Promise<void> = async () => undefined): Promise<{ user: SignedIn; deviceId: string }> {
  const user = await signIn(running(), 'USER', { tenantId });
  await fund(user);
  const created = await call<{ createDevice: { id: string } }>('mutation($input: CreateDeviceInput!) { createDevice(input: $input) { id } }', {
    input: { userId: user.userId, name: `meter-${randomUUID().slice(0, 6)}`, provider: 'REDROID', spec: SPEC, androidVersion: '13', placement: { labels: [{ key: 'pool', value: pool }] } },
  });
  assert.equal(created.errors, undefined, JSON.stringify(created.errors));
  const deviceId = created.data?.createDevice.id ?? '';
  await eventually(async () => (await usageOf(deviceId)).length === 1, 'the device came up and its usage record opened');
  return { user, deviceId };
}

/** ceil(ms x price per hour / 3,600,000) in BigInt, at the record's price: what billing must charge for [startedAt, endedAt). */
function expectedCost(usage: Usage): bigint {
  assert.ok(usage.endedAt && usage.pricePerHour);
  const ms = BigInt(new Date(usage.endedAt).getTime() - new Date(usage.startedAt).getTime());
  const pricePerHourMinor = BigInt(usage.pricePerHour.replace('.', ''));
  return (ms * pricePerHourMinor + 3_599_999n) / 3_600_000n;
}

async function setPrice(pricePerHour: string): Promise<void> {
  const rule = await call('mutation($input: SetBillingRuleInput!) { setBillingRule(input: $input) { id } }', { input: { provider: 'REDROID', spec: SPEC, pricePerHour, currency: 'USD' } });
  assert.equal(rule.errors, undefined, JSON.stringify(rule.errors));
}

const usd = (minor: bigint | number) => {
  const value = BigInt(minor);
  return `${value / 100n}.${String(value % 100n).padStart(2, '0')}`;
};

async function stopAndWaitClosed(deviceId: string, records: number): Promise<Usage[]> {
  await setDeviceRunning(running().gatewayUrl, running().admin.headers, deviceId, false);
  let usage: Usage[] = [];
  await eventually(async () => {
    usage = await usageOf(deviceId);
    return usage.length === records && usage.every((record) => record.endedAt !== null);
  }, 'the stop closed the usage record');
  return usage;
}

/** A user's balance and the sum of their ledger, in minor units, as GraphQL shows them (`User.balance`). */
async function balanceAndLedger(userId: string): Promise<{ balanceMinor: number; ledgerMinor: number }> {
  const balance = await balanceOf(running(), userId);
  assert.equal(balance.transactions.edges.length, balance.transactions.totalCount, 'one page holds the whole ledger');
  return { balanceMinor: cents(balance.amount), ledgerMinor: ledgerSumCents(balance) };
}

const lowFor = (userId: string) => heard.filter((envelope) => envelope.type === 'balance.low' && envelope.data.userId === userId);

test('RUNNING -> STOPPED debits exactly the recorded interval at the rule price; the ledger sums to the balance; crossing the threshold emits one balance.low and notifies the user', async () => {
  const credit = LOW_BALANCE_MINOR + 200;
  // The user buys the credit by card; the provider's callback credits it as a RECHARGE.
  const { user, deviceId } = await userWithRunningDevice((user) => rechargeAndWait(running(), user.userId, usd(credit), user.headers));
  const [first] = await stopAndWaitClosed(deviceId, 1);
  assert.ok(first);
  const firstCost = expectedCost(first);
  assert.ok(firstCost > 0n);
  const firstCharged = firstCost < BigInt(credit) ? firstCost : BigInt(credit);
  assert.deepEqual(
    [first.pricePerHour, first.currency, first.endedBy, first.cost, first.charged, first.unpaid],
    ['3600.00', 'USD', 'STATUS_CHANGE', usd(firstCost), usd(firstCharged), usd(firstCost - firstCharged)],
  );
  assert.equal(first.durationMs, new Date(first.endedAt ?? '').getTime() - new Date(first.startedAt).getTime());
  let money = await balanceAndLedger(user.userId);
  assert.equal(money.balanceMinor, credit - Number(firstCharged), 'debited exactly the cost of [startedAt, endedAt)');
  assert.equal(money.ledgerMinor, money.balanceMinor, 'the balance is the sum of its ledger');
  const afterFirst = money.balanceMinor;

  // Ten times the price: the next run costs more than what is left. The balance goes to 0, never below; the rest is unpaid.
  await setPrice('36000.00');
  await setDeviceRunning(running().gatewayUrl, running().admin.headers, deviceId, true);
  await new Promise((resolve) => setTimeout(resolve, Math.ceil(afterFirst / 1_000) * 1_000 + 500));
  const second = (await stopAndWaitClosed(deviceId, 2))[0];
  await setPrice('3600.00');
  assert.ok(second);
  const secondCost = expectedCost(second);
  assert.ok(secondCost > BigInt(afterFirst));
  assert.deepEqual([second.pricePerHour, second.cost, second.charged, second.unpaid], ['36000.00', usd(secondCost), usd(afterFirst), usd(secondCost - BigInt(afterFirst))]);
  money = await balanceAndLedger(user.userId);
  assert.deepEqual(money, { balanceMinor: 0, ledgerMinor: 0 }, 'never negative, still the sum of its ledger');

  // One crossing (in the first run or the second), one balance.low, carrying the balance right after it.
  await eventually(() => lowFor(user.userId).length === 1, 'balance.low published');
  const crossedAt = afterFirst < LOW_BALANCE_MINOR ? afterFirst : 0;
  assert.deepEqual(lowFor(user.userId)[0]?.data, { userId: user.userId, balanceMinor: crossedAt, thresholdMinor: LOW_BALANCE_MINOR, currency: 'USD' });
  // A third run with nothing left: charged 0, all unpaid, no second balance.low.
  await setDeviceRunning(running().gatewayUrl, running().admin.headers, deviceId, true);
  const third = (await stopAndWaitClosed(deviceId, 3))[0];
  assert.ok(third);
  assert.deepEqual([third.charged, third.unpaid], ['0.00', third.cost]);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(lowFor(user.userId).length, 1, 'exactly one balance.low for the crossing');
  // ... which the user reads in the app: one BALANCE_LOW notification, with the balance at the crossing.
  const [low] = await notifiedOf(running(), user.headers, 'BALANCE_LOW');
  assert.ok(low);
  assert.deepEqual([low.channel, low.severity, low.title], ['IN_APP', 'WARNING', 'Low balance']);
  assert.deepEqual(JSON.parse(low.data), { balanceMinor: crossedAt, thresholdMinor: LOW_BALANCE_MINOR, currency: 'USD', balance: usd(crossedAt), threshold: usd(LOW_BALANCE_MINOR) });
  assert.ok(low.body.includes(`${usd(crossedAt)} USD, below ${usd(LOW_BALANCE_MINOR)} USD`), low.body);
  assert.equal((await inAppNotifications(running(), user.headers)).filter((notification) => notification.type === 'BALANCE_LOW').length, 1, 'one notification for one crossing');

  // The user sees the month's invoice: the usage is on it, what the balance missed is due.
  const invoices = await call<{ me: { invoices: { edges: { node: { id: string; status: string; currency: string; totals: { total: string; charged: string; due: string; credited: string }; lines: { kind: string; amount: string }[] } }[] } } }>(
    '{ me { invoices(first: 5) { edges { node { id status currency totals { total charged due credited } lines { kind amount charged due runningMs device { id } } } } } } }',
    {},
    user.headers,
  );
  assert.equal(invoices.errors, undefined, JSON.stringify(invoices.errors));
  const [invoice] = invoices.data?.me.invoices.edges.map((edge) => edge.node) ?? [];
  assert.ok(invoice);
  const total = firstCost + secondCost + expectedCost(third);
  assert.deepEqual(
    [invoice.status, invoice.currency, invoice.totals.total, invoice.totals.charged, invoice.totals.due, invoice.totals.credited],
    ['OPEN', 'USD', usd(total), usd(credit), usd(total - BigInt(credit)), usd(credit)],
  );
  assert.deepEqual(invoice.lines.map((line) => line.kind).sort(), ['RECHARGE', 'USAGE', 'USAGE'], 'one usage line per device and price; the card recharge is a RECHARGE line');

  const stranger = await signIn(running(), 'USER', { tenantId });
  const foreign = await call<{ invoice: unknown }>('query($id: ID!) { invoice(id: $id) { id } }', { id: invoice.id }, stranger.headers);
  assert.equal(foreign.errors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(foreign.errors));
  assert.equal((await usageOf(deviceId, user.headers)).length, 3, 'the owner reads its own usage (payment:read, SELF)');
  const tenantAdmin = await signIn(running(), 'ADMIN', { tenantId });
  assert.equal((await usageOf(deviceId, tenantAdmin.headers)).length, 3, "an ADMIN reads its tenant's (payment:read, TENANT)");
});

test('a duplicated device.status.changed (the same event again, or the same change under a new id) does not charge twice', async () => {
  const { deviceId } = await userWithRunningDevice();
  const [closed] = await stopAndWaitClosed(deviceId, 1);
  assert.ok(closed);
  let stopped: AnyEventEnvelope | undefined;
  await eventually(() => {
    stopped = heard.find((envelope) => envelope.type === 'device.status.changed' && envelope.data.deviceId === deviceId && envelope.data.status === 'STOPPED');
    return stopped !== undefined;
  }, 'the stop event was heard');
  assert.ok(stopped?.type === 'device.status.changed');
  const copy = createEnvelope('device.status.changed', stopped.data, { source: 'devices' }, { tenantId: stopped.tenantId, userId: stopped.userId });
  const running = heard.find((envelope) => envelope.type === 'device.status.changed' && envelope.data.deviceId === deviceId && envelope.data.status === 'RUNNING');
  assert.ok(running?.type === 'device.status.changed');
  const runningCopy = createEnvelope('device.status.changed', running.data, { source: 'devices' }, { tenantId: running.tenantId, userId: running.userId });
  for (const envelope of [stopped, copy, running, runningCopy]) await publisher?.publish(envelope);
  await appliedByBilling([copy.id, runningCopy.id]);
  const after = await usageOf(deviceId);
  assert.deepEqual(after, [closed], 'one record, unchanged');
});

test('deleting a RUNNING device closes its usage', async () => {
  const { deviceId } = await userWithRunningDevice();
  const deleted = await call<{ deleteDevice: { status: string } }>('mutation($id: ID!) { deleteDevice(id: $id) { status } }', { id: deviceId });
  assert.equal(deleted.errors, undefined, JSON.stringify(deleted.errors));
  await eventually(async () => (await usageOf(deviceId))[0]?.endedAt !== null, 'the delete closed the usage record');
  const [record] = await usageOf(deviceId);
  assert.equal(record?.endedBy, 'STATUS_CHANGE');
  assert.equal(record?.cost, usd(expectedCost(record)), 'charged (or left unpaid) at the rule price all the same');
});

test('the price list is public to read; setting a price needs plan:write', async () => {
  const user = await signIn(running(), 'USER', { tenantId });
  const read = await call<{ billingRules: { edges: { node: { provider: string; pricePerHour: string } }[] } }>('{ billingRules(provider: REDROID) { totalCount edges { node { provider pricePerHour spec { cpuCores } } } } }', {}, user.headers);
  assert.equal(read.errors, undefined, JSON.stringify(read.errors));
  assert.ok(read.data?.billingRules.edges.some((edge) => edge.node.pricePerHour === '3600.00'));
  const refused = await call('mutation { setBillingRule(input: { provider: REDROID, pricePerHour: "0.01", currency: "USD" }) { id } }', {}, user.headers);
  assert.equal(refused.errors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(refused.errors));
  const bad = await call('mutation { setBillingRule(input: { provider: REDROID, pricePerHour: "0.001", currency: "USD" }) { id } }');
  assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', 'more decimals than the currency has');
});

/** Waits until billing's inbox has these events (PostgreSQL), or a moment for them to be applied (PGlite lives in the stack). */
async function appliedByBilling(eventIds: string[]): Promise<void> {
  const target = running().databases['billing'];
  if (target?.kind !== 'postgres') {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    return;
  }
  const sql = postgres(target.url, { max: 1, onnotice: () => undefined });
  try {
    await eventually(async () => (await sql<{ n: number }[]>`select count(*)::int as n from inbox where consumer = 'billing' and event_id = any(${eventIds})`)[0]?.n === eventIds.length, 'billing applied the copies');
  } finally {
    await sql.end();
  }
}
