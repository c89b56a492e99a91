import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { RECHARGE, TEST_PROVIDER_SECRET, balanceOf, call, dataOf, ledgerSumCents, postCallback, webhookUrl } from './support/billing.js';
import { eventually } from './support/events.js';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

// test-isolation: exclusive (the provider's late callbacks are timed against the payment window)

let stack: TestStack | undefined;

before(async () => {
  process.env['PAYMENT_PROVIDER_SECRET'] = TEST_PROVIDER_SECRET;
  process.env['PAYMENT_PROVIDER_DELAY_MS'] = '50';
  stack = await startTestStack(await preferredKind(), null);
  assert.ok(stack);
});
after(async () => {
  await stack?.close();
});

function running(): TestStack {
  assert.ok(stack);
  return stack;
}

interface PaymentView {
  id: string;
  status: string;
  amount: string;
  providerReference: string | null;
}

/** Starts (or, with the same key, looks up) a recharge of the admin's own balance. */
async function recharge(amount: string, token: string, idempotencyKey: string): Promise<PaymentView> {
  const stack = running();
  return dataOf(await call<{ rechargeBalance: PaymentView }>(stack, RECHARGE, { input: { userId: stack.admin.userId, amount, method: 'CARD', paymentToken: token, idempotencyKey } })).rechargeBalance;
}

function succeeded(payment: PaymentView, eventId = `evt_${randomUUID()}`) {
  return { eventId, reference: payment.providerReference, outcome: 'SUCCEEDED', amountMinor: 2500, currency: 'USD' };
}

test('a forged callback is refused and writes nothing; a duplicated genuine one credits the balance once', async () => {
  const stack = running();
  const before = await balanceOf(stack, stack.admin.userId);
  const key = randomUUID();
  const payment = await recharge('25.00', 'tok_pending', key);
  assert.equal(payment.status, 'PROCESSING');
  assert.ok(payment.providerReference);

  const forged = await postCallback(stack, succeeded(payment), 'not-the-provider-secret-0123456789abcdef');
  assert.equal(forged.status, 401);
  assert.equal((await recharge('25.00', 'tok_pending', key)).status, 'PROCESSING', 'the forged callback changed nothing');
  assert.equal((await balanceOf(stack, stack.admin.userId)).amount, before.amount);

  const genuine = succeeded(payment);
  const deliveries = await Promise.all([postCallback(stack, genuine), postCallback(stack, genuine), postCallback(stack, genuine)]);
  assert.deepEqual(
    deliveries.map((response) => response.status),
    [200, 200, 200],
    'a provider stops redelivering on 200',
  );
  const outcomes = await Promise.all(deliveries.map(async (response) => ((await response.json()) as { outcome: string }).outcome));
  assert.deepEqual(outcomes.sort(), ['applied', 'duplicate', 'duplicate']);
  // A second event id for the same payment (a provider resending under a new id) does not credit again either.
  assert.equal((await postCallback(stack, succeeded(payment))).status, 200);

  assert.equal((await recharge('25.00', 'tok_pending', key)).status, 'SUCCEEDED');
  const balance = await balanceOf(stack, stack.admin.userId);
  assert.equal(balance.transactions.totalCount, before.transactions.totalCount + 1, 'one RECHARGE movement');
  assert.equal(ledgerSumCents(balance) - ledgerSumCents(before), 2500);
  assert.equal(ledgerSumCents(balance), Math.round(Number(balance.amount) * 100), 'the balance is the sum of its ledger');
});

test('a callback for an unknown payment, or tampered after signing, writes nothing', async () => {
  const stack = running();
  const unknown = await postCallback(stack, { eventId: `evt_${randomUUID()}`, reference: 'sim_ok_000000000000000000000000', outcome: 'SUCCEEDED', amountMinor: 100, currency: 'USD' });
  assert.equal(unknown.status, 404);
  const unsigned = await fetch(webhookUrl(stack), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(unsigned.status, 401);
});

test('the provider calls back by itself: a recharge with a good token is credited, a declined one fails', async () => {
  const stack = running();
  const before = await balanceOf(stack, stack.admin.userId);
  const declinedKey = randomUUID();
  const goodKey = randomUUID();
  await recharge('1.00', 'tok_declined', declinedKey);
  await recharge('7.35', 'tok_ok', goodKey);
  await eventually(async () => (await recharge('7.35', 'tok_ok', goodKey)).status === 'SUCCEEDED', 'the provider confirmed the good payment');
  await eventually(async () => (await recharge('1.00', 'tok_declined', declinedKey)).status === 'FAILED', 'the provider declined the other');
  const balance = await balanceOf(stack, stack.admin.userId);
  assert.equal(ledgerSumCents(balance) - ledgerSumCents(before), 735);
  // Repeating the request with the key returns the first payment: no second charge.
  const again = await recharge('7.35', 'tok_ok', goodKey);
  assert.equal(again.status, 'SUCCEEDED');
  assert.equal((await balanceOf(stack, stack.admin.userId)).transactions.totalCount, balance.transactions.totalCount);
});

test('bad recharge input is a coded error and writes nothing', async () => {
  const stack = running();
  const zero = await call(stack, RECHARGE, { input: { amount: '0', method: 'CARD', paymentToken: 'tok_ok', idempotencyKey: randomUUID() } });
  assert.equal(zero.errors?.[0]?.extensions?.['code'], 'BAD_USER_INPUT');
  const fromBalance = await call(stack, RECHARGE, { input: { amount: '5', method: 'BALANCE', paymentToken: 'tok_ok', idempotencyKey: randomUUID() } });
  assert.equal(fromBalance.errors?.[0]?.extensions?.['code'], 'BAD_USER_INPUT');
  const tooPrecise = await call(stack, RECHARGE, { input: { amount: '5.001', method: 'CARD', paymentToken: 'tok_ok', idempotencyKey: randomUUID() } });
  assert.equal(tooPrecise.errors?.[0]?.extensions?.['code'], 'BAD_USER_INPUT');
});
