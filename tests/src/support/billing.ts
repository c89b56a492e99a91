import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { type GraphQLResult, graphql } from '@cloudphone/testing';
import { type SignedIn, signIn } from './auth.js';
import { eventually } from './events.js';

interface Caller {
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  admin: { headers: Record<string, string> };
}

/** The secret tests give the simulated payment provider, to sign callbacks the way it does. */
export const TEST_PROVIDER_SECRET = 'test-provider-secret-0123456789abcdef0123456789';

export function call<T>(stack: Caller, query: string, variables: Record<string, unknown> = {}, headers = stack.admin.headers): Promise<GraphQLResult<T>> {
  return graphql<T>(stack.gatewayUrl, query, variables, headers);
}

/** Data of an answer that must have no errors. */
export function dataOf<T>(result: GraphQLResult<T>): T {
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  assert.ok(result.data);
  return result.data;
}

/** A new USER of a tenant of its own, allowed `devices` devices (and the resources for them): someone to sell plans to. */
export async function buyer(stack: Caller & Parameters<typeof signIn>[0], devices = 10): Promise<SignedIn> {
  const user = await signIn(stack, 'USER');
  dataOf(
    await call(stack, 'mutation($user: ID!, $input: SetUserQuotaInput!) { setUserQuota(userId: $user, input: $input) { id } }', {
      user: user.userId,
      input: { maxDevices: devices, maxRunningDevices: devices, maxCpuCores: 64, maxMemoryMb: 262_144, maxStorageGb: 4096 },
    }),
  );
  return user;
}

/** A new active plan priced `price` USD for a 1-core phone. */
export async function createPlan(stack: Caller, price: string): Promise<string> {
  const created = await call<{ createPlan: { id: string } }>(
    stack,
    'mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }',
    { input: { name: `plan-${randomUUID().slice(0, 8)}`, tier: 'BASIC', price, currency: 'USD', periodDays: 30, cpuCores: 1, memoryMb: 1024, storageGb: 8, maxDevices: 1 } },
  );
  return dataOf(created).createPlan.id;
}

/** Credits (or debits, with a negative amount) a balance as an administrator. */
export async function adjustBalance(stack: Caller, userId: string, amount: string): Promise<void> {
  dataOf(
    await call(stack, 'mutation($input: AdjustBalanceInput!) { adjustBalance(input: $input) { id } }', {
      input: { userId, amount, reason: 'test funding', idempotencyKey: randomUUID() },
    }),
  );
}

/** Buys balance credit through the payment provider (`rechargeBalance`). */
export const RECHARGE = 'mutation($input: RechargeBalanceInput!) { rechargeBalance(input: $input) { id status amount providerReference } }';

/**
 * Funds a balance the way a customer does: a CARD recharge with the simulated
 * provider's good token (`tok_ok`), credited as a RECHARGE entry when the
 * provider calls back a moment later. Waits until the balance shows it.
 */
export async function rechargeAndWait(stack: Caller, userId: string, amount: string, headers = stack.admin.headers): Promise<void> {
  const before = cents((await balanceOf(stack, userId)).amount);
  dataOf(await call(stack, RECHARGE, { input: { userId, amount, method: 'CARD', paymentToken: 'tok_ok', idempotencyKey: randomUUID() } }, headers));
  await eventually(async () => cents((await balanceOf(stack, userId)).amount) === before + cents(amount), `the provider confirmed the recharge of ${amount} and the balance shows it`);
}

export interface BalanceView {
  amount: string;
  transactions: { totalCount: number; edges: { node: { type: string; amount: string; balanceAfter: string } }[] };
}

export async function balanceOf(stack: Caller, userId: string): Promise<BalanceView> {
  const result = await call<{ user: { balance: BalanceView } }>(
    stack,
    'query($id: ID!) { user(id: $id) { balance { amount transactions(first: 100) { totalCount edges { node { type amount balanceAfter } } } } } }',
    { id: userId },
  );
  return dataOf(result).user.balance;
}

/** Sum of the movements, in cents: what the balance must equal. */
export function ledgerSumCents(balance: BalanceView): number {
  return balance.transactions.edges.reduce((sum, edge) => sum + cents(edge.node.amount), 0);
}

export function cents(amount: string): number {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const value = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return negative ? -value : value;
}

export interface OrderView {
  id: string;
  status: string;
  statusReason: string | null;
  paidAt: string | null;
  device: { id: string; status: string } | null;
  payments: { method: string; status: string; amount: string; providerReference: string | null }[];
}

const ORDER = 'query($id: ID!) { order(id: $id) { id status statusReason paidAt device { id status } payments { method status amount providerReference } } }';

export async function orderOf(stack: Caller, id: string): Promise<OrderView> {
  const order = dataOf(await call<{ order: OrderView | null }>(stack, ORDER, { id })).order;
  assert.ok(order, `order ${id} is readable`);
  return order;
}

/** Waits until the order is final (not PENDING) and returns it. */
export async function settledOrder(stack: Caller, id: string, timeoutMs = 30_000): Promise<OrderView> {
  let last: OrderView | undefined;
  await eventually(
    async () => {
      last = await orderOf(stack, id);
      return last.status !== 'PENDING';
    },
    `order ${id} settles`,
    timeoutMs,
  );
  assert.ok(last);
  return last;
}

export async function purchase(stack: Caller, input: Record<string, unknown>, headers = stack.admin.headers): Promise<GraphQLResult<{ purchasePlan: { id: string; status: string } }>> {
  return call(stack, 'mutation($input: PurchasePlanInput!) { purchasePlan(input: $input) { id status } }', { input }, headers);
}

/** Where the simulated provider posts its callbacks: billing's webhook, beside its /graphql. */
export function webhookUrl(stack: Caller): string {
  const url = stack.subgraphUrls['billing']?.replace(/\/graphql$/, '/webhooks/payments/simulated');
  assert.ok(url, 'the stack has a billing subgraph');
  return url;
}

/** Posts a provider callback to billing's webhook, signed with `secret` (the provider's, or a forger's). */
export async function postCallback(stack: Caller, event: Record<string, unknown>, secret = TEST_PROVIDER_SECRET): Promise<Response> {
  const body = JSON.stringify(event);
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return fetch(webhookUrl(stack), { method: 'POST', headers: { 'content-type': 'application/json', 'x-simulated-signature': `t=${timestamp},v1=${signature}` }, body });
}

export interface NotificationView {
  type: string;
  channel: string;
  severity: string;
  title: string;
  body: string;
  data: string;
}

const NOTIFICATIONS = '{ me { notifications(first: 50) { totalCount edges { node { type channel severity title body data: dataJson } } } } }';

/** The in-app notifications of the signed-in user (`me.notifications`), newest first. */
export async function inAppNotifications(stack: Caller, headers: Record<string, string>): Promise<NotificationView[]> {
  const result = await call<{ me: { notifications: { totalCount: number; edges: { node: NotificationView }[] } | null } }>(stack, NOTIFICATIONS, {}, headers);
  const notifications = dataOf(result).me.notifications;
  assert.ok(notifications, 'notifications answered');
  assert.ok(notifications.totalCount <= 50, 'one page holds them all');
  return notifications.edges.map((edge) => edge.node);
}

/** Waits until the signed-in user has an in-app notification of `type` and returns those of that type. */
export async function notifiedOf(stack: Caller, headers: Record<string, string>, type: string): Promise<NotificationView[]> {
  let found: NotificationView[] = [];
  await eventually(async () => {
    found = (await inAppNotifications(stack, headers)).filter((notification) => notification.type === type);
    return found.length > 0;
  }, `a ${type} notification arrived`);
  return found;
}
