import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { realRabbitMq } from '@cloudphone/testing';
import { buildDemoDataset } from '@cloudphone/tools';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { queueConsumers } from './support/broker.js';
import { eventually } from './support/events.js';
import { type DatabaseKind, type TestStack, preferredKind, startTestStack } from './support/stack.js';
import { type Heard, listen, setDeviceRunning, wsClient } from './support/subscriptions.js';

const dataset = buildDemoDataset();
const devices = dataset.devices.devices.filter((candidate) => candidate.status === 'RUNNING').slice(0, 4);
const CLIENTS = 6;

/** A client whose socket the test can cut without a close handshake, as a dropped network would. */
function cuttableClient(gatewayUrl: string, accessToken: string): { client: Client; cut: () => void } {
  const sockets: WebSocket[] = [];
  class RecordedWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols);
      sockets.push(this);
    }
  }
  const client = createClient({ url: gatewayUrl.replace(/^http/, 'ws'), webSocketImpl: RecordedWebSocket, connectionParams: { authorization: `Bearer ${accessToken}` }, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined });
  return { client, cut: () => sockets.forEach((socket) => socket.terminate()) };
}

const setups: { name: string; kind: () => Promise<DatabaseKind>; amqpUrl: () => Promise<string | undefined> }[] = [
  { name: 'in process (embedded)', kind: async () => 'pglite', amqpUrl: async () => undefined },
];
// In CI a missing broker fails here (realRabbitMq throws); locally the RabbitMQ half is left out.
const rabbit = await realRabbitMq();
if (rabbit) setups.push({ name: 'RabbitMQ', kind: preferredKind, amqpUrl: async () => rabbit });

for (const setup of setups) {
  describe(`clients that leave leave nothing behind, events ${setup.name}`, () => {
    let stack: TestStack | undefined;
    before(async () => {
      stack = await startTestStack(await setup.kind(), { ...dataset }, {}, { amqpUrl: await setup.amqpUrl() });
    });
    after(async () => {
      await stack?.close();
    });

    test('connections, subscriptions, feed listeners, buffered changes and broker consumers return to their count before the clients came', async () => {
      assert.ok(stack && devices.length === 4);
      const gateway = stack.gateway;
      const base = gateway.stats();
      assert.deepEqual({ ...base, feedQueue: undefined }, { connections: 0, subscriptions: 0, feedListeners: 0, bufferedEvents: 0, feedQueue: undefined });
      const brokerBefore = base.feedQueue === undefined ? undefined : await queueConsumers(base.feedQueue);
      if (setup.name === 'RabbitMQ') assert.equal(brokerBefore, 1, 'the gateway consumes its own exclusive queue');

      // Half the clients leave politely (complete, then close), half have their socket cut.
      const clients = Array.from({ length: CLIENTS }, () => cuttableClient(stack?.gatewayUrl ?? '', stack?.admin.accessToken ?? ''));
      const heard: Heard[] = [];
      for (const { client } of clients) {
        heard.push(await listen(client, 'subscription { deviceStatusChanged { status device { name user { email } } } }', {}, 0));
        heard.push(await listen(client, 'subscription($id: ID) { deviceStatusChanged(deviceId: $id) { status } }', { id: devices[0]?.id }, 0));
      }
      await eventually(() => gateway.stats().subscriptions === 2 * CLIENTS, 'every subscription is open');
      assert.deepEqual(
        { ...gateway.stats(), feedQueue: undefined },
        { connections: CLIENTS, subscriptions: 2 * CLIENTS, feedListeners: 2 * CLIENTS, bufferedEvents: 0, feedQueue: undefined },
      );
      if (base.feedQueue !== undefined) assert.equal(await queueConsumers(base.feedQueue), brokerBefore, 'clients add no broker consumer');

      // A burst of changes, and the clients go while it is being delivered (buffers may hold some of it).
      const burst = devices.map((device) => setDeviceRunning(stack?.gatewayUrl ?? '', stack?.admin.headers ?? {}, device.id ?? '', false));
      await eventually(() => heard.some((subscription) => subscription.results.length > 0), 'the burst is being delivered');
      for (const [index, { client, cut }] of clients.entries()) {
        if (index % 2 === 0) await client.dispose();
        else cut();
      }
      await Promise.all(burst);
      await eventually(() => gateway.stats().connections === 0 && gateway.stats().subscriptions === 0, 'the server saw every client go');
      assert.deepEqual(gateway.stats(), base);
      if (base.feedQueue !== undefined) assert.equal(await queueConsumers(base.feedQueue), brokerBefore);

      // The gateway still serves: a new client hears the next change, and its leaving is counted too.
      const client = wsClient(stack.gatewayUrl, stack.admin.accessToken);
      const after = await listen(client, 'subscription($id: ID) { deviceStatusChanged(deviceId: $id) { status } }', { id: devices[1]?.id });
      await setDeviceRunning(stack.gatewayUrl, stack.admin.headers, devices[1]?.id ?? '', true);
      await eventually(() => after.results.length === 1, 'a new subscriber hears the next change');
      await client.dispose();
      for (const { client: left } of clients) await left.dispose();
      await eventually(() => gateway.stats().connections === 0, 'the last client left');
      assert.deepEqual(gateway.stats(), base);
    });
  });
}
