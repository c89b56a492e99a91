import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { AUTHORIZATION_ENV } from './gateway-auth.js';
import { type SubscriberMessage, type SubscriberRequest, WATCH_DEVICE, type WatchResult, deliveryIsRight } from './subscription-protocol.js';

/**
 * One of the subscription benchmark's client processes: opens `count`
 * WebSockets to the gateway with graphql-ws's own client, one subscription
 * each (the realistic case: one browser tab, one socket), and counts what
 * each event brings. Several such processes share the load, so the client
 * side is not one event loop parsing every delivery. Every socket presents
 * the benchmark's `Bearer <token>` (from the environment) at connection_init.
 */
const [urlArgument, deviceIdArgument, countText, concurrencyText] = process.argv.slice(2);
if (!urlArgument || !deviceIdArgument) throw new Error('usage: subscriber-process <ws url> <device id> <count> [concurrency]');
const url: string = urlArgument;
const deviceId: string = deviceIdArgument;
const authorization = process.env[AUTHORIZATION_ENV];
if (!authorization) throw new Error(`subscriber-process needs ${AUTHORIZATION_ENV}="Bearer <access token>" in its environment`);
const connectionParams = { authorization };
const count = Number(countText);
const concurrency = Number(concurrencyText ?? 50);
if (!Number.isInteger(count) || count < 1) throw new Error(`not a subscriber count: ${String(countText)}`);
if (!process.send) throw new Error('subscriber-process runs as a forked child with an IPC channel');
const send = (message: SubscriberMessage): void => {
  process.send?.(message);
};

interface Tally {
  received: number;
  wrong: number;
  first: number;
  last: number;
}
const tallies = new Map<string, Tally>();
let errors = 0;

function record(result: WatchResult): void {
  const now = Date.now();
  const key = result.data?.deviceStatusChanged?.occurredAt ?? 'unidentified';
  const tally = tallies.get(key) ?? { received: 0, wrong: 0, first: now, last: now };
  tally.received += 1;
  tally.last = now;
  if (!deliveryIsRight(result)) tally.wrong += 1;
  tallies.set(key, tally);
  if (tally.received === count) send({ type: 'complete', key, first: tally.first, last: tally.last, wrong: tally.wrong });
}

/** Resolves true once the server acknowledged the connection (the subscribe message follows at once), false if it failed. */
function open(clients: Client[]): Promise<boolean> {
  return new Promise((resolve) => {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams,
      on: { connected: () => resolve(true), closed: () => resolve(false) },
    });
    client.subscribe<NonNullable<WatchResult['data']>>(
      { query: WATCH_DEVICE, variables: { deviceId } },
      { next: record, error: () => void (errors += 1), complete: () => undefined },
    );
    clients.push(client);
  });
}

const clients: Client[] = [];
let failed = 0;
let started = 0;
// A bounded number of handshakes in flight, so the gateway's accept queue is not flooded.
await Promise.all(
  Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (started < count) {
      started += 1;
      if (!(await open(clients))) failed += 1;
    }
  }),
);
send({ type: 'subscribed', sockets: clients.length - failed, failed });

process.on('message', (request: SubscriberRequest) => {
  if (request.type === 'tally') {
    const tally = tallies.get(request.key);
    send({ type: 'tally', key: request.key, received: tally?.received ?? 0, wrong: tally?.wrong ?? 0 });
    return;
  }
  void Promise.all(clients.map((client) => client.dispose())).then(() => {
    // Exit only once the answer has left: process.send is asynchronous.
    process.send?.({ type: 'closed', errors } satisfies SubscriberMessage, undefined, undefined, () => process.exit(0));
  });
});
