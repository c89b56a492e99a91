import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { realRabbitMq } from '@cloudphone/testing';
import { TEST_PROVIDER_SECRET, buyer, createPlan, dataOf, inAppNotifications, notifiedOf, purchase, rechargeAndWait, settledOrder } from './support/billing.js';
import { cluster } from './support/nodes.js';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

/**
 * Billing's order.paid, payment.failed and balance.low reach the user as
 * in-app notifications (notifications consumes them): the events are made by
 * the product paths (a card recharge, a purchase from the balance, a declined
 * card), and the notifications read through `me { notifications }`.
 */
const PRICE = '9.99';
/** What billing's events notify (the WELCOME of signing up comes from users). */
const BILLING_TYPES = new Set(['ORDER_PAID', 'PAYMENT_FAILED', 'BALANCE_LOW']);
const LOW_BALANCE_MINOR = 1_000;

let stack: TestStack | undefined;
let planId = '';

before(async () => {
  Object.assign(process.env, {
    BILLING_LOW_BALANCE_MINOR: String(LOW_BALANCE_MINOR),
    PAYMENT_PROVIDER_SECRET: TEST_PROVIDER_SECRET,
    PAYMENT_PROVIDER_DELAY_MS: '50',
    SAGA_POLL_MS: '200',
    DEVICE_PROVISION_DELAY_MS: '100',
  });
  stack = await startTestStack(await preferredKind(), null, {}, { amqpUrl: await realRabbitMq(), retry: { maxAttempts: 5, baseMs: 50, factor: 2 } });
  assert.ok(stack);
  planId = await createPlan(stack, PRICE);
  await cluster(stack, [10]);
});
after(async () => {
  await stack?.close();
});

function running(): TestStack {
  assert.ok(stack);
  return stack;
}

test('a plan paid from the balance notifies ORDER_PAID; the debit that takes the balance under the threshold notifies BALANCE_LOW', async () => {
  const stack = running();
  const user = await buyer(stack);
  await rechargeAndWait(stack, user.userId, '15.00', user.headers);
  const order = await settledOrder(stack, dataOf(await purchase(stack, { planId }, user.headers)).purchasePlan.id);
  assert.equal(order.status, 'PAID', order.statusReason ?? '');

  const [paid] = await notifiedOf(stack, user.headers, 'ORDER_PAID');
  assert.ok(paid);
  assert.deepEqual([paid.channel, paid.severity, paid.title], ['IN_APP', 'INFO', 'Order paid']);
  const paidData = JSON.parse(paid.data) as Record<string, unknown>;
  assert.deepEqual([paidData['orderId'], paidData['planId'], paidData['amount'], paidData['currency']], [order.id, planId, PRICE, 'USD']);
  assert.ok(paid.body.includes(`${PRICE} USD`), paid.body);

  // 15.00 - 9.99 = 5.01: below 10.00, crossed by this purchase.
  const [low] = await notifiedOf(stack, user.headers, 'BALANCE_LOW');
  assert.ok(low);
  assert.deepEqual([low.channel, low.severity], ['IN_APP', 'WARNING']);
  assert.deepEqual(JSON.parse(low.data), { balanceMinor: 501, thresholdMinor: LOW_BALANCE_MINOR, currency: 'USD', balance: '5.01', threshold: '10.00' });

  const types = (await inAppNotifications(stack, user.headers)).map((notification) => notification.type).filter((type) => BILLING_TYPES.has(type)).sort();
  assert.deepEqual(types, ['BALANCE_LOW', 'ORDER_PAID'], 'one of each, no other billing notification, only the in-app copies listed');
});

test('a purchase by a declined card notifies PAYMENT_FAILED, and no ORDER_PAID', async () => {
  const stack = running();
  const user = await buyer(stack);
  const order = await settledOrder(stack, dataOf(await purchase(stack, { planId, method: 'CARD', paymentToken: 'tok_declined' }, user.headers)).purchasePlan.id);
  assert.equal(order.status, 'FAILED');
  assert.match(order.statusReason ?? '', /^PAYMENT_FAILED/);

  const [failed] = await notifiedOf(stack, user.headers, 'PAYMENT_FAILED');
  assert.ok(failed);
  assert.deepEqual([failed.channel, failed.severity, failed.title], ['IN_APP', 'WARNING', 'Payment failed']);
  const failedData = JSON.parse(failed.data) as Record<string, unknown>;
  assert.deepEqual([failedData['orderId'], failedData['method'], failedData['amount'], failedData['currency']], [order.id, 'CARD', PRICE, 'USD']);
  assert.equal(typeof failedData['reason'], 'string');
  assert.ok(failed.body.includes(`${PRICE} USD did not go through`), failed.body);

  const types = (await inAppNotifications(stack, user.headers)).map((notification) => notification.type).filter((type) => BILLING_TYPES.has(type));
  assert.deepEqual(types, ['PAYMENT_FAILED'], 'nothing was paid');
});
