import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { graphql, realRabbitMq } from '@cloudphone/testing';
import { buildDemoDataset } from '@cloudphone/tools';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { eventually } from './support/events.js';
import { type DatabaseKind, type TestStack, preferredKind, startTestStack } from './support/stack.js';

const dataset = buildDemoDataset();
let stack: TestStack | undefined;
let client: Client | undefined;

interface Received {
  data?: Record<string, unknown> | null;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

/** Subscribes and collects what arrives; waits a moment so the subscription is in place before the test acts. */
async function subscribe(query: string, variables: Record<string, unknown>): Promise<{ received: Received[]; stop: () => void }> {
  assert.ok(client);
  const received: Received[] = [];
  const stop = client.subscribe({ query, variables }, { next: (value) => void received.push(value as Received), error: (error) => void received.push({ errors: Array.isArray(error) ? error : [{ message: String(error) }] }), complete: () => undefined });
  await new Promise((resolve) => setTimeout(resolve, 400));
  return { received, stop };
}

async function mutate(mutation: 'stopDevice' | 'startDevice', id: string): Promise<void> {
  assert.ok(stack);
  const result = await graphql(stack.gatewayUrl, `mutation($id: ID!) { ${mutation}(id: $id) { status } }`, { id }, stack.admin.headers);
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
}

const device = dataset.devices.devices.find((candidate) => candidate.status === 'RUNNING' && dataset.apps.installs.some((install) => install.deviceId === candidate.id));
const owner = dataset.users.users.find((user) => user.id === device?.userId);

// Status changes reach the gateway from RabbitMQ (one queue per gateway replica) or, embedded, in process.
const setups: { name: string; kind: () => Promise<DatabaseKind>; amqpUrl: () => Promise<string | undefined> }[] = [
  { name: 'in process (embedded)', kind: async () => 'pglite', amqpUrl: async () => undefined },
];
const rabbit = await realRabbitMq();
if (rabbit) setups.push({ name: 'RabbitMQ', kind: preferredKind, amqpUrl: async () => rabbit });

for (const setup of setups) {
  describe(`deviceStatusChanged through the gateway, events ${setup.name}`, () => {
    before(async () => {
      stack = await startTestStack(await setup.kind(), { ...dataset }, {}, { amqpUrl: await setup.amqpUrl() });
      assert.ok(stack);
      client = createClient({ url: stack.gatewayUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, connectionParams: { authorization: `Bearer ${stack.admin.accessToken}` } });
    });
    after(async () => {
      await client?.dispose();
      await stack?.close();
    });

    test('a status change reaches the subscriber with its selection resolved across subgraphs', async () => {
      assert.ok(device?.id && owner);
      const { received, stop } = await subscribe(
        `subscription Watch($id: ID!) {
          deviceStatusChanged(deviceId: $id) {
            previousStatus
            now: status
            occurredAt
            device {
              id
              name
              status
              owner: user { email tenant { name } }
              applications { status application { name } }
              orders(first: 1) { totalCount }
            }
          }
        }`,
        { id: device.id },
      );
      await mutate('stopDevice', device.id);
      await eventually(() => received.length === 1, 'one event for the stop');
      const [first] = received;
      assert.equal(first?.errors, undefined, JSON.stringify(first?.errors));
      const event = first?.data?.['deviceStatusChanged'] as Record<string, unknown>;
      const installs = dataset.apps.installs
        .filter((install) => install.deviceId === device.id && install.status !== 'UNINSTALLED')
        .sort((a, b) => (a.requestedAt?.getTime() ?? 0) - (b.requestedAt?.getTime() ?? 0) || ((a.id ?? '') < (b.id ?? '') ? -1 : 1))
        .map((install) => ({ status: install.status, application: { name: dataset.apps.applications.find((application) => application.id === install.applicationId)?.name } }));
      assert.deepEqual(
        { ...event, occurredAt: typeof event['occurredAt'] },
        {
          previousStatus: 'RUNNING',
          now: 'STOPPED',
          occurredAt: 'string',
          device: {
            id: device.id,
            name: device.name,
            status: 'STOPPED',
            owner: { email: owner.email, tenant: { name: dataset.users.tenants.find((tenant) => tenant.id === owner.tenantId)?.name } },
            applications: installs,
            orders: { totalCount: dataset.billing.orders.filter((order) => order.deviceId === device.id).length },
          },
        },
      );
      await mutate('startDevice', device.id);
      await eventually(() => received.length === 2, 'a second event for the start');
      assert.deepEqual((received[1]?.data?.['deviceStatusChanged'] as Record<string, unknown>)['now'], 'RUNNING');
      stop();
    });

    test("a subscriber filtered to one user hears only that user's devices", async () => {
      assert.ok(device?.id);
      const other = dataset.users.users.find((user) => user.id !== device.userId);
      const { received, stop } = await subscribe('subscription($user: ID) { deviceStatusChanged(userId: $user) { status } }', { user: other?.id });
      const mine = await subscribe('subscription($user: ID) { deviceStatusChanged(userId: $user) { status device { id } } }', { user: device.userId });
      await mutate('stopDevice', device.id);
      await eventually(() => mine.received.length === 1, "the owner's subscription got the change");
      await mutate('startDevice', device.id);
      await eventually(() => mine.received.length === 2, 'and the next one');
      assert.deepEqual(received, []);
      stop();
      mine.stop();
    });

    test('subscribers with the same selection share one fetch of the device per event', async () => {
      assert.ok(stack && device?.id);
      const deviceId = device.id;
      const devices = stack.subgraphs.get('devices');
      assert.ok(devices);
      const query = 'subscription($id: ID) { deviceStatusChanged(deviceId: $id) { status device { name status } } }';
      const cost = async (subscribers: number, mutation: 'stopDevice' | 'startDevice') => {
        const subscriptions = await Promise.all(Array.from({ length: subscribers }, () => subscribe(query, { id: deviceId })));
        const before = await devices.statements();
        await mutate(mutation, deviceId);
        await eventually(() => subscriptions.every((subscription) => subscription.received.length === 1), 'every subscriber got the event');
        const spent = (await devices.statements()) - before;
        for (const subscription of subscriptions) subscription.stop();
        return spent;
      };
      // The same mutation both times: a start also checks the owner's quota (two statements a stop does not spend).
      const one = await cost(1, 'stopDevice');
      await cost(1, 'startDevice');
      const twenty = await cost(20, 'stopDevice');
      assert.equal(twenty, one, `statements in devices for one event: 1 subscriber ${one}, 20 subscribers ${twenty}`);
    });

    test('a malformed filter id is BAD_USER_INPUT; queries over the socket are refused', async () => {
      const bad = await subscribe('subscription { deviceStatusChanged(deviceId: "nope") { status } }', {});
      await eventually(() => bad.received.length === 1, 'an error');
      assert.equal(bad.received[0]?.errors?.[0]?.extensions?.['code'], 'BAD_USER_INPUT');
      const query = await subscribe('{ users { totalCount } }', {});
      await eventually(() => query.received.length === 1, 'a refusal');
      assert.match(query.received[0]?.errors?.[0]?.message ?? '', /Only subscriptions/);
    });
  });
}
