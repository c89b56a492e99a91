import assert from 'node:assert/strict';
import { type ChildProcess, fork } from 'node:child_process';
import { after, before, test } from 'node:test';
import { graphql, realRabbitMq } from '@cloudphone/testing';
import { buildDemoDataset, repoPath } from '@cloudphone/tools';
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
interface GatewayProcess {
  process: ChildProcess;
  url: string;
  /** What it printed on stdout so far. */
  output(): string;
}
let second: GatewayProcess | undefined;
const clients: Client[] = [];

/** A second gateway as its own process (`node gateway/dist/main.js`), on the stack's subgraphs and RabbitMQ namespace. */
async function startSecondGateway(base: TestStack, amqpUrl: string): Promise<GatewayProcess> {
  const env: Record<string, string> = { GATEWAY_PORT: '0', HOST: '127.0.0.1', AMQP_URL: amqpUrl, EVENTS_NAMESPACE: base.events.namespace, INTERNAL_AUTH_SECRET: base.internalSecret };
  for (const [name, thread] of base.subgraphs) env[`${name.toUpperCase()}_SUBGRAPH_URL`] = thread.url;
  const child = fork(repoPath('gateway', 'dist', 'main.js'), [], { env, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', () => {
      const ready = /gateway ready at (\S+)/.exec(output);
      if (ready?.[1]) resolve(ready[1]);
    });
    child.once('exit', (code) => reject(new Error(`the second gateway exited before it was ready (${code})`)));
  });
  return { process: child, url, output: () => output };
}

before(async () => {
  if (!rabbit) return;
  stack = await startTestStack(await preferredKind(), { ...dataset }, {}, { amqpUrl: rabbit });
  assert.ok(stack);
  second = await startSecondGateway(stack, rabbit);
});
after(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  if (second && second.process.exitCode === null) {
    const exited = new Promise((resolve) => second?.process.once('exit', resolve));
    second.process.kill('SIGTERM');
    await exited;
  }
  await stack?.close();
});

test('two gateway processes on one RabbitMQ namespace: a subscriber on each hears the same change, resolved alike', async (context) => {
  if (!rabbit) return context.skip('needs RabbitMQ: set TEST_AMQP_URL');
  assert.ok(stack && second && device?.id && owner);
  assert.notEqual(second.process.pid, process.pid);
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
  second.process.kill('SIGHUP');
  await eventually(() => second?.output().includes('gateway: supergraph unchanged') ?? false, 'the process answered SIGHUP');
  const result = await graphql(second.url, '{ devices(first: 1) { totalCount } }', {}, stack.admin.headers);
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
});
