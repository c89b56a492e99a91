import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { TEST_PROVIDER_SECRET, adjustBalance, balanceOf, buyer, call, cents, createPlan, dataOf, ledgerSumCents, orderOf, purchase, settledOrder } from './support/billing.js';
import { eventually } from './support/events.js';
import { cluster, nodeView } from './support/nodes.js';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

let stack: TestStack | undefined;
let planId = '';
let nodeId = '';
const PRICE = '9.99';

before(async () => {
  Object.assign(process.env, {
    PAYMENT_PROVIDER_SECRET: TEST_PROVIDER_SECRET,
    PAYMENT_PROVIDER_DELAY_MS: '50',
    // Well after the 3 s window, so the void reaches the provider first even on a loaded machine.
    PAYMENT_PROVIDER_LATE_MS: '9000',
    ORDER_PAYMENT_WINDOW_MS: '3000',
    ORDER_EXPIRY_INTERVAL_MS: '200',
    SAGA_POLL_MS: '200',
    DEVICE_PROVISION_DELAY_MS: '100',
  });
  stack = await startTestStack(await preferredKind(), null);
  assert.ok(stack);
  planId = await createPlan(stack, PRICE);
  [nodeId = ''] = (await cluster(stack, [40])).nodeIds;
});
after(async () => {
  await stack?.close();
});

function running(): TestStack {
  assert.ok(stack);
  return stack;
}

async function slotsUsed(): Promise<number> {
  return (await nodeView(running(), nodeId)).resources?.deviceSlots.allocated ?? 0;
}

test('a plan bought from the balance: the order is returned PENDING at once and ends PAID with a RUNNING device', async () => {
  const stack = running();
  const user = await buyer(stack);
  await adjustBalance(stack, user.userId, '20.00');
  const started = dataOf(await purchase(stack, { planId, deviceName: 'bought phone' }, user.headers)).purchasePlan;
  assert.equal(started.status, 'PENDING');
  const order = await settledOrder(stack, started.id);
  assert.equal(order.status, 'PAID', order.statusReason ?? '');
  assert.ok(order.paidAt);
  assert.equal(order.device?.status, 'RUNNING');
  assert.deepEqual(order.payments.map((payment) => [payment.method, payment.status, payment.amount]), [['BALANCE', 'SUCCEEDED', PRICE]]);
  const balance = await balanceOf(stack, user.userId);
  assert.equal(balance.amount, '10.01');
  assert.equal(ledgerSumCents(balance), cents(balance.amount));
});

test('20 concurrent purchases with money for 5: exactly 5 are paid, the balance ends at zero and equals its ledger', async () => {
  const stack = running();
  const user = await buyer(stack, 25);
  await adjustBalance(stack, user.userId, String((cents(PRICE) * 5) / 100));
  const started = await Promise.all(Array.from({ length: 20 }, (_, index) => purchase(stack, { planId, deviceName: `race-${index}` }, user.headers)));
  const orders = await Promise.all(started.map((result) => settledOrder(stack, dataOf(result).purchasePlan.id, 60_000)));
  const byStatus = (status: string) => orders.filter((order) => order.status === status);
  assert.equal(byStatus('PAID').length, 5, JSON.stringify(orders.map((order) => [order.status, order.statusReason])));
  assert.equal(byStatus('FAILED').length, 15);
  for (const failed of byStatus('FAILED')) {
    assert.match(failed.statusReason ?? '', /^INSUFFICIENT_BALANCE/);
    assert.equal(failed.device, null, 'no device for an unpaid order');
  }
  for (const paid of byStatus('PAID')) assert.equal(paid.device?.status, 'RUNNING');
  const balance = await balanceOf(stack, user.userId);
  assert.equal(balance.amount, '0.00');
  assert.equal(ledgerSumCents(balance), 0);
  assert.equal(balance.transactions.edges.filter((edge) => edge.node.type === 'CONSUME').length, 5);
  assert.ok(balance.transactions.edges.every((edge) => cents(edge.node.balanceAfter) >= 0), 'never below zero');
});

test('a purchase repeated with its idempotency key, even at the same time, places one order and charges once', async () => {
  const stack = running();
  const user = await buyer(stack);
  await adjustBalance(stack, user.userId, '20.00');
  const idempotencyKey = randomUUID();
  const attempts = await Promise.all([1, 2, 3].map(() => purchase(stack, { planId, idempotencyKey }, user.headers)));
  const ids = new Set(attempts.map((attempt) => dataOf(attempt).purchasePlan.id));
  assert.equal(ids.size, 1, 'one order for one key');
  const [id = ''] = ids;
  assert.equal((await settledOrder(stack, id)).status, 'PAID');
  assert.equal(dataOf(await purchase(stack, { planId, idempotencyKey }, user.headers)).purchasePlan.id, id, 'a later repeat returns it too');
  assert.equal((await balanceOf(stack, user.userId)).amount, '10.01', 'charged once');
  const otherPlan = await createPlan(stack, '1.00');
  const reused = await purchase(stack, { planId: otherPlan, idempotencyKey }, user.headers);
  assert.equal(reused.errors?.[0]?.extensions?.['code'], 'CONFLICT');
});

test('a device the user may not have (quota) undoes the purchase: CANCELLED, refunded to the cent, nothing allocated', async () => {
  const stack = running();
  const user = await buyer(stack, 0);
  await adjustBalance(stack, user.userId, '15.00');
  const slots = await slotsUsed();
  const order = await settledOrder(stack, dataOf(await purchase(stack, { planId }, user.headers)).purchasePlan.id);
  assert.equal(order.status, 'CANCELLED');
  assert.match(order.statusReason ?? '', /^QUOTA_EXCEEDED/);
  assert.equal(order.device, null, 'the order does not name a device that was never created');
  assert.deepEqual(order.payments.map((payment) => payment.status), ['REFUNDED']);
  const balance = await balanceOf(stack, user.userId);
  assert.equal(balance.amount, '15.00');
  assert.deepEqual(balance.transactions.edges.map((edge) => edge.node.type).sort(), ['ADJUSTMENT', 'CONSUME', 'REFUND']);
  assert.equal(await slotsUsed(), slots, 'no capacity held');
});

test('paying by card: the provider confirms by callback and the order is PAID; a declined card fails it', async () => {
  const stack = running();
  const user = await buyer(stack);
  const paid = await settledOrder(stack, dataOf(await purchase(stack, { planId, method: 'CARD', paymentToken: 'tok_ok' }, user.headers)).purchasePlan.id);
  assert.equal(paid.status, 'PAID', paid.statusReason ?? '');
  assert.equal(paid.payments[0]?.status, 'SUCCEEDED');
  const declined = await settledOrder(stack, dataOf(await purchase(stack, { planId, method: 'CARD', paymentToken: 'tok_declined' }, user.headers)).purchasePlan.id);
  assert.equal(declined.status, 'FAILED');
  assert.match(declined.statusReason ?? '', /^PAYMENT_FAILED/);
  assert.equal(declined.device, null);
});

test('an unpaid order expires: its payment is voided, nothing is allocated or charged, and money captured late is given back', async () => {
  const stack = running();
  const user = await buyer(stack);
  const slots = await slotsUsed();
  // tok_late: the customer never confirms in time, and the provider captures anyway after the order expired.
  const id = dataOf(await purchase(stack, { planId, method: 'ALIPAY', paymentToken: 'tok_late' }, user.headers)).purchasePlan.id;
  const order = await settledOrder(stack, id);
  assert.equal(order.status, 'CANCELLED');
  assert.match(order.statusReason ?? '', /^EXPIRED/);
  assert.equal(order.payments[0]?.status, 'CANCELLED');
  assert.equal(order.device, null);
  assert.equal(await slotsUsed(), slots);
  assert.equal((await balanceOf(stack, user.userId)).amount, '0.00');

  // The provider's late capture arrives by callback: the money goes back, the order stays cancelled.
  await eventually(async () => (await orderOf(stack, id)).payments[0]?.status === 'REFUNDED', 'the late capture is refunded', 20_000);
  assert.equal((await orderOf(stack, id)).status, 'CANCELLED');
});

test('an order placed without a purchase expires after its window', async () => {
  const stack = running();
  const user = await buyer(stack);
  const created = dataOf(await call<{ createOrder: { id: string } }>(stack, 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: { userId: user.userId, planId } }, user.headers));
  const order = await settledOrder(stack, created.createOrder.id);
  assert.equal(order.status, 'CANCELLED');
  assert.match(order.statusReason ?? '', /^EXPIRED/);
});

test('purchase input is checked before anything is written', async () => {
  const stack = running();
  const user = await buyer(stack);
  const noToken = await purchase(stack, { planId, method: 'CARD' }, user.headers);
  assert.equal(noToken.errors?.[0]?.extensions?.['code'], 'BAD_USER_INPUT');
  const unknownPlan = await purchase(stack, { planId: randomUUID() }, user.headers);
  assert.equal(unknownPlan.errors?.[0]?.extensions?.['code'], 'PLAN_NOT_FOUND');
  const otherUser = await buyer(stack);
  const forSomeoneElse = await purchase(stack, { planId, userId: otherUser.userId }, user.headers);
  assert.equal(forSomeoneElse.errors?.[0]?.extensions?.['code'], 'FORBIDDEN');
  const orders = dataOf(await call<{ user: { orders: { totalCount: number } } }>(stack, 'query($id: ID!) { user(id: $id) { orders { totalCount } } }', { id: user.userId }));
  assert.equal(orders.user.orders.totalCount, 0);
});
