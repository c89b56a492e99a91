import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { graphql, realRabbitMq } from '@cloudphone/testing';
import { type GatewayMain, buildDemoDataset, gatewayEnvironment, startGatewayMain } from '@cloudphone/tools';
import type { Client } from 'graphql-ws';
import { eventually } from './support/events.js';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';
import { listen, setDeviceRunning, wsClient } from './support/subscriptions.js';

const dataset = buildDemoDataset();
const device = dataset.devices.devices.find((candidate) => candidate.status === 'RUNNING');
const owner = dataset.users.users.find((user) => user.id === device?.userId);
// In CI a missing broker fails here (realRabbitMq throws); locally the test is skipped without one.
const rabbit = await realRabbitMq();

let stack: TestStack | undefined;
let second: GatewayMain | undefined;
const clients: Client[] = [];

/** A second gateway as its own process (`node gateway/dist/main.js`), on the stack's subgraphs and RabbitMQ namespace. */
function startSecondGateway(base: TestStack): Promise<GatewayMain> {
  return startGatewayMain({ ...gatewayEnvironment({ urls: base.subgraphUrls, internalSecret: base.internalSecret, events: base.events }), GATEWAY_PORT: '0' });
}

before(async () => {
  if (!rabbit) return;
  stack = await startTestStack(await preferredKind(), { ...dataset }, {}, { amqpUrl: rabbit });
  assert.ok(stack);
  second = await startSecondGateway(stack);
});
after(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await second?.close();
  await stack?.close();
});

test('two gateway processes on one RabbitMQ namespace: a subscriber on each hears the same change, resolved alike', async (context) => {
  if (!rabbit) return context.skip('needs RabbitMQ: set TEST_AMQP_URL');
  assert.ok(stack && second && device?.id && owner);
  assert.notEqual(second.pid, process.pid);
  const query = 'subscription($id: ID) { deviceStatusChanged(deviceId: $id) { previousStatus status device { id name user { email } } } }';
  const first = wsClient(stack.gatewayUrl, stack.admin.accessToken);
  const other = wsClient(second.url, stack.admin.accessToken);
  clients.push(first, other);
  const [onFirst, onSecond] = await Promise.all([listen(first, query, { id: device.id }), listen(other, query, { id: device.id })]);

  // A change made through the second gateway, then one through the first: both reach both.
  await setDeviceRunning(second.url, stack.admin.headers, device.id, false);
  await eventually(() => onFirst.results.length === 1 && onSecond.results.length === 1, 'both gateways delivered the stop');
  await setDeviceRunning(stack.gatewayUrl, stack.admin.headers, device.id, true);
  await eventually(() => onFirst.results.length === 2 && onSecond.results.length === 2, 'both gateways delivered the start');

  const expected = (previousStatus: string, status: string) => ({
    data: { deviceStatusChanged: { previousStatus, status, device: { id: device.id, name: device.name, user: { email: owner.email } } } },
  });
  assert.deepEqual(onFirst.results, [expected('RUNNING', 'STOPPED'), expected('STOPPED', 'RUNNING')]);
  assert.deepEqual(onSecond.results, onFirst.results);
});

test('SIGHUP makes the gateway process read its supergraph file again (unchanged here: it says so and keeps serving)', async (context) => {
  if (!rabbit) return context.skip('needs RabbitMQ: set TEST_AMQP_URL');
  assert.ok(second && stack);
  second.signal('SIGHUP');
  await eventually(() => second?.output().includes('"message":"supergraph unchanged"') ?? false, 'the process answered SIGHUP');
  const result = await graphql(second.url, '{ devices(first: 1) { totalCount } }', {}, stack.admin.headers);
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
});
