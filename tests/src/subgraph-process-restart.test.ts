import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type AnyEventEnvelope, RabbitMqTransport } from '@cloudphone/events';
import { type GraphQLResult, graphql, realRabbitMq, realRedis } from '@cloudphone/testing';
import { buildDemoDataset } from '@cloudphone/tools';
import { queueConsumers } from './support/broker.js';
import { eventually } from './support/events.js';
import { type TestStack, startTestStack } from './support/stack.js';

// Billing runs as its own process (the rest of the stack in threads): the tests kill it and start it again.
const dataset = buildDemoDataset();
const NEEDS = 'needs PostgreSQL, RabbitMQ and Redis: set TEST_POSTGRES_URL, TEST_AMQP_URL and TEST_REDIS_URL';
let stack: TestStack | undefined;

before(async () => {
  const amqpUrl = await realRabbitMq();
  if (amqpUrl === undefined || (await realRedis()) === undefined) return;
  stack = await startTestStack(
    'postgres',
    { ...dataset },
    // Fail fast while billing is down, and probe it again soon after it is back.
    { SUBGRAPH_TIMEOUT_MS: '2000', SUBGRAPH_RETRIES: '1', SUBGRAPH_BREAKER_RESET_MS: '200' },
    { amqpUrl, retry: { maxAttempts: 5, baseMs: 50, factor: 2 } },
    { processes: { billing: {} } },
  );
});
after(async () => {
  await stack?.close();
});

const QUERY = `{ users(first: 3) { edges { node { username orders(first: 1) { totalCount } } } } }`;

interface Result {
  users: { edges: { node: { username: string; orders: { totalCount: number } | null } }[] };
}

const orderTotals = (result: GraphQLResult<Result>) => result.data?.users.edges.map((edge) => edge.node.orders?.totalCount ?? null);

test('a billing process killed with SIGKILL: the gateway answers without its part, and after a restart on the same port with it again', async (context) => {
  if (!stack) return context.skip(NEEDS);
  const billing = stack.processes.get('billing');
  assert.ok(billing, 'billing runs as a process');
  assert.equal(stack.subgraphs.has('billing'), false, 'and not in a thread');
  assert.equal(billing.seeded, true, 'the stack seeded its database before it started');
  assert.equal(stack.subgraphUrls['billing'], billing.url);
  const queue = `${stack.events.namespace}.billing`;
  assert.equal(await queueConsumers(queue), 1, "the process consumes the stack's billing queue");

  const healthy = await graphql<Result>(stack.gatewayUrl, QUERY, {}, stack.admin.headers);
  assert.equal(healthy.errors, undefined, JSON.stringify(healthy.errors));
  const totals = orderTotals(healthy);
  assert.ok(totals?.every((total) => typeof total === 'number'));

  const firstPid = billing.pid;
  const exit = await billing.kill();
  assert.deepEqual(exit, { code: null, signal: 'SIGKILL' });
  assert.deepEqual(await billing.exited, exit, '`exited` is the run that was killed');

  const down = await graphql<Result>(stack.gatewayUrl, QUERY, {}, stack.admin.headers);
  assert.equal(down.status, 200);
  assert.deepEqual(
    down.data?.users.edges.map((edge) => edge.node.username),
    healthy.data?.users.edges.map((edge) => edge.node.username),
    'users still come from the users subgraph',
  );
  assert.deepEqual(orderTotals(down), [null, null, null], 'orders are null while billing is down');
  const billingErrors = (down.errors ?? []).filter((error) => error.extensions?.service === 'billing');
  assert.ok(billingErrors.length > 0, JSON.stringify(down.errors));
  for (const error of billingErrors) assert.equal(error.extensions?.code, 'SERVICE_UNAVAILABLE');
  await eventually(async () => (await queueConsumers(queue)) === 0, 'the broker drops the dead consumer');

  // At once, on the port the killed process held (its connections may linger in TIME_WAIT).
  await billing.restart();
  assert.notEqual(billing.pid, firstPid, 'a new process');
  assert.equal(stack.subgraphUrls['billing'], billing.url, 'at the same URL');
  let again: GraphQLResult<Result> | undefined;
  await eventually(async () => {
    again = await graphql<Result>(stack?.gatewayUrl ?? '', QUERY, {}, stack?.admin.headers);
    return again.errors === undefined;
  }, 'the gateway reaches billing again', 10_000);
  assert.deepEqual(orderTotals(again ?? down), totals, 'the same orders as before the kill');
  const plans = await graphql<{ plans: { totalCount: number } }>(stack.gatewayUrl, '{ plans { totalCount } }', {}, stack.admin.headers);
  assert.equal(plans.errors, undefined, JSON.stringify(plans.errors));
  assert.equal(plans.data?.plans.totalCount, dataset.billing.plans.length, 'the seed survived the restart: it is loaded once, before the first run');
  await eventually(async () => (await queueConsumers(queue)) === 1, 'the new process consumes the billing queue again');
});

test("a billing process publishes into the stack's events namespace: an order created through the gateway arrives as order.created", async (context) => {
  if (!stack?.events.amqpUrl) return context.skip(NEEDS);
  const transport = new RabbitMqTransport({ url: stack.events.amqpUrl, namespace: stack.events.namespace });
  const received: AnyEventEnvelope[] = [];
  const subscription = await transport.consume({ consumer: 'process-restart-test', keys: ['order.created'] }, async (envelope) => {
    received.push(envelope);
  });
  try {
    const plan = dataset.billing.plans[1];
    assert.ok(plan);
    const created = await graphql<{ createOrder: { id: string } }>(
      stack.gatewayUrl,
      'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }',
      { input: { userId: stack.admin.userId, planId: plan.id } },
      stack.admin.headers,
    );
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    const orderId = created.data?.createOrder.id;
    assert.ok(orderId);
    await eventually(() => received.some((envelope) => (envelope.data as { orderId?: string }).orderId === orderId), 'order.created from the billing process');
    const event = received.find((envelope) => (envelope.data as { orderId?: string }).orderId === orderId);
    assert.equal(event?.source, 'billing');
  } finally {
    await subscription.cancel();
    await transport.close();
  }
});

test('a billing process that fails to start: restart rejects with its last output, and the next restart serves again', async (context) => {
  if (!stack) return context.skip(NEEDS);
  const billing = stack.processes.get('billing');
  assert.ok(billing);
  await assert.rejects(billing.restart({ BILLING_CURRENCY: 'dollars' }), /billing subgraph process exited \(code 1\) before it was ready; its last output:[\s\S]*BILLING_CURRENCY/);
  assert.equal((await billing.exited).code, 1);
  await billing.restart({});
  await eventually(async () => (await graphql(stack?.gatewayUrl ?? '', '{ plans { totalCount } }', {}, stack?.admin.headers)).errors === undefined, 'the gateway reaches billing again', 10_000);
});
