import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { realRabbitMq, realRedis } from '@cloudphone/testing';
import type { SubgraphProcess } from '@cloudphone/tools';
import { TEST_PROVIDER_SECRET, adjustBalance, balanceOf, buyer, call, cents, createPlan, dataOf, ledgerSumCents, purchase, settledOrder } from './support/billing.js';
import { cluster, heartbeat, nodeView } from './support/nodes.js';
import { type TestStack, startTestStack } from './support/stack.js';

// Runs beside other files: it kills and restarts only its own billing process, at hooks, not at times.
// test-duration: long (16 crashes and restarts of billing, each a process start)

/**
 * The purchase saga killed at every step boundary: billing runs as its own
 * process with SAGA_CRASH_AT=<phase>:<step>, exits there (as on a crash: no
 * cleanup, its lease still held), and is started again without the hook. The
 * restarted process must finish or undo every purchase: PAID with a RUNNING
 * device, or FAILED/CANCELLED with the money back and nothing allocated.
 */
const NEEDS = 'needs PostgreSQL, RabbitMQ and Redis: set TEST_POSTGRES_URL, TEST_AMQP_URL and TEST_REDIS_URL';
const CRASH_EXIT_CODE = 86;
const PRICE = '4.00';
const BILLING_ENV = { PAYMENT_PROVIDER_SECRET: TEST_PROVIDER_SECRET, PAYMENT_PROVIDER_DELAY_MS: '50', SAGA_LEASE_MS: '1500', SAGA_POLL_MS: '200' };

let stack: TestStack | undefined;
let planId = '';
let nodeId = '';

before(async () => {
  const amqpUrl = await realRabbitMq();
  if (amqpUrl === undefined || (await realRedis()) === undefined) return;
  process.env['DEVICE_PROVISION_DELAY_MS'] = '100';
  stack = await startTestStack('postgres', null, {}, { amqpUrl, retry: { maxAttempts: 5, baseMs: 50, factor: 2 } }, { processes: { billing: { env: BILLING_ENV } } });
  if (!stack) return;
  planId = await createPlan(stack, PRICE);
  [nodeId = ''] = (await cluster(stack, [60])).nodeIds;
});
after(async () => {
  await stack?.close();
});

function billingProcess(stack: TestStack): SubgraphProcess {
  const billing = stack.processes.get('billing');
  assert.ok(billing, 'billing runs as a process');
  return billing;
}

const slotsUsed = async (stack: TestStack) => (await nodeView(stack, nodeId)).resources?.deviceSlots.allocated ?? 0;

interface Scenario {
  crashAt: string;
  /** BALANCE, or a card token for the provider path. */
  token?: string;
  /** The buyer's device quota: 0 makes device creation fail, so the saga is undone. */
  devices: number;
  expected: 'PAID' | 'CANCELLED';
}

/**
 * Runs one purchase in a billing process started with SAGA_CRASH_AT at
 * `scenario.crashAt`, waits for it to die there, starts it again armed for
 * `next` (the hook fires only for sagas a process starts itself, so this
 * run first finishes the one left behind), and checks where the purchase ends.
 */
async function crashAndResume(stack: TestStack, scenario: Scenario, next: string | undefined): Promise<void> {
  const billing = billingProcess(stack);
  // The scenarios outlast the nodes' silence limit: the node calls in, as its agent would.
  await heartbeat(stack);
  const user = await buyer(stack, scenario.devices);
  await adjustBalance(stack, user.userId, '10.00');
  const slotsBefore = await slotsUsed(stack);
  const input = scenario.token ? { planId, method: 'CARD', paymentToken: scenario.token } : { planId };
  const started = await purchase(stack, input, user.headers);
  // The crash may come before the answer (the saga runs as soon as the order is committed).
  const exit = await billing.exited;
  assert.equal(exit.code, CRASH_EXIT_CODE, `billing died at ${scenario.crashAt}:\n${billing.output().slice(-20).join('\n')}`);
  await billing.restart(next === undefined ? BILLING_ENV : { ...BILLING_ENV, SAGA_CRASH_AT: next });

  const orderId = started.data?.purchasePlan.id ?? (await latestOrderOf(stack, user.userId));
  const order = await settledOrder(stack, orderId, 60_000);
  const balance = await balanceOf(stack, user.userId);
  assert.equal(ledgerSumCents(balance), cents(balance.amount), `${scenario.crashAt}: the balance is the sum of its ledger`);
  if (scenario.expected === 'PAID') {
    assert.equal(order.status, 'PAID', `${scenario.crashAt}: ${order.statusReason ?? ''}`);
    assert.equal(order.device?.status, 'RUNNING', `${scenario.crashAt}: the device runs`);
    assert.equal(balance.amount, scenario.token ? '10.00' : '6.00', `${scenario.crashAt}: charged exactly once`);
    assert.equal(await slotsUsed(stack), slotsBefore + 1, `${scenario.crashAt}: one slot for one device`);
  } else {
    assert.equal(order.status, 'CANCELLED', `${scenario.crashAt}: ${order.statusReason ?? ''}`);
    assert.ok(order.payments.every((payment) => payment.status === 'REFUNDED'), `${scenario.crashAt}: refunded`);
    assert.equal(order.device, null, `${scenario.crashAt}: no device was created, and the order names none`);
    assert.equal(balance.amount, '10.00', `${scenario.crashAt}: the balance is as before`);
    assert.equal(await slotsUsed(stack), slotsBefore, `${scenario.crashAt}: nothing allocated`);
  }
}

/** When billing died before answering, the order is found through the user. */
async function latestOrderOf(stack: TestStack, userId: string): Promise<string> {
  const result = dataOf(await call<{ user: { latestOrder: { id: string } | null } }>(stack, 'query($id: ID!) { user(id: $id) { latestOrder { id } } }', { id: userId }));
  assert.ok(result.user.latestOrder, 'the order was committed before the crash');
  return result.user.latestOrder.id;
}

/**
 * Every boundary of a path that leaves a different stored state: before
 * each step; for a step that calls out (`remote`), also after its effect
 * and before its record; and after the last step. (`after:X` is the state
 * `before:Y` of the next step starts from; a local step's effect commits
 * with its record, so dying there is dying before it.)
 */
function boundaries(steps: readonly { step: string; remote: boolean }[]): string[] {
  return [...steps.flatMap(({ step, remote }) => (remote ? [`before:${step}`, `effect:${step}`] : [`before:${step}`])), `after:${steps.at(-1)?.step ?? ''}`];
}

const local = (step: string) => ({ step, remote: false });
const remote = (step: string) => ({ step, remote: true });

const FORWARD: Scenario[] = boundaries([local('chargeBalance'), remote('createDevice'), remote('awaitDevice'), local('complete')]).map((crashAt) => ({ crashAt, devices: 5, expected: 'PAID' }));
const BY_CARD: Scenario[] = boundaries([remote('requestPayment'), remote('awaitPayment')]).map((crashAt) => ({ crashAt, token: 'tok_ok', devices: 5, expected: 'PAID' }));
// The balance refund commits with its record: a local step on this path.
const UNDONE: Scenario[] = boundaries([remote('createDevice'), remote('deleteDevice'), local('refund'), local('closeOrder')]).map((crashAt) => ({ crashAt, devices: 0, expected: 'CANCELLED' }));

for (const [name, scenarios] of [
  ['paid from the balance', FORWARD],
  ['paid by card through the provider', BY_CARD],
  ['undone after the charge (no quota for the device)', UNDONE],
] as const) {
  test(`a purchase ${name}, killed at every step boundary and resumed, ends settled and exact`, async (context) => {
    if (!stack) return context.skip(NEEDS);
    await billingProcess(stack).restart({ ...BILLING_ENV, SAGA_CRASH_AT: scenarios[0]?.crashAt ?? '' });
    for (const [index, scenario] of scenarios.entries()) await crashAndResume(stack, scenario, scenarios[index + 1]?.crashAt);
  });
}
