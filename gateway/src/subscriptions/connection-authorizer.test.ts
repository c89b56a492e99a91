import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { createEnvelope, createTransport } from '@cloudphone/events';
import type { Principal } from '@cloudphone/identity';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { loadGatewayConfig } from '../config.js';
import { type GatewayHandle, startGateway } from '../gateway.js';
import { subgraphsOf } from '../supergraph.js';
import { type ConnectionAuthorizer, type ConnectionIdentity, type ConnectionRefusal } from './connection-authorizer.js';

// A real gateway over the committed supergraph with no subgraph reachable: `status` needs none.
const namespace = `authorizer-${randomUUID()}`;
const base = loadGatewayConfig({ GATEWAY_PORT: '0', HOST: '127.0.0.1', EVENTS_NAMESPACE: namespace, INTERNAL_AUTH_SECRET: randomUUID() + randomUUID() });
const unreachable = Object.fromEntries(subgraphsOf(await readFile(base.supergraphPath, 'utf8')).map(({ name }) => [name, 'http://127.0.0.1:9/graphql']));

/** Someone who may read every device. */
const someonePrincipal: Principal = { kind: 'user', userId: randomUUID(), tenantId: randomUUID(), roles: ['SUPER_ADMIN'], policy: { permissions: ['device:read'], dataScopes: { device: 'ALL' }, fieldRules: {} }, credentialId: null, service: null };

const someone = { principal: someonePrincipal, issuedAtMs: Date.now(), expiresAtMs: Date.now() + 3_600_000 };

/** The authorizer under test: what it answers, and what it was asked. */
let decide: (params: Readonly<Record<string, unknown>>) => Promise<ConnectionIdentity | ConnectionRefusal> = async () => ({ refused: 'not set' });
const asked: { params: Readonly<Record<string, unknown>>; request: http.IncomingMessage }[] = [];
const authorizer: ConnectionAuthorizer = {
  authorize: async (params, request) => {
    asked.push({ params, request });
    return decide(params);
  },
};

let gateway: GatewayHandle;
before(async () => {
  gateway = await startGateway({ ...base, subgraphUrls: unreachable }, { connectionAuthorizer: authorizer });
});
after(async () => {
  await gateway.close();
});

/** Connects with `params` and reports how the connection ended up: acknowledged, or closed with a code and reason. */
async function connect(params: Record<string, unknown>): Promise<{ client: Client; outcome: { acknowledged: true } | { code: number; reason: string } }> {
  let settle: (outcome: { acknowledged: true } | { code: number; reason: string }) => void = () => undefined;
  const outcome = new Promise<{ acknowledged: true } | { code: number; reason: string }>((resolve) => {
    settle = resolve;
  });
  const client = createClient({
    url: gateway.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: params,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: {
      connected: () => settle({ acknowledged: true }),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        settle({ code, reason });
      },
    },
  });
  return { client, outcome: await outcome };
}

test('a refusing authorizer closes the connection with 4403 Forbidden; it saw the connection params and the upgrade request', async () => {
  asked.length = 0;
  decide = async (params) => (params['token'] === 'valid' ? someone : { refused: 'no valid token' });
  const { client, outcome } = await connect({ token: 'forged' });
  await client.dispose();
  assert.deepEqual(outcome, { code: 4403, reason: 'Forbidden' });
  assert.deepEqual(asked[0]?.params, { token: 'forged' });
  assert.equal(asked[0]?.request.url, '/graphql');
});

test('a failing authorizer closes with 4500 and no internal detail', async () => {
  decide = async () => {
    throw new Error('token store at 10.0.0.7 timed out');
  };
  const { client, outcome } = await connect({});
  await client.dispose();
  assert.deepEqual(outcome, { code: 4500, reason: 'Internal server error' });
});

test('an accepted connection is acknowledged and its subscriptions get events', async () => {
  decide = async () => someone;
  const { client, outcome } = await connect({ token: 'valid' });
  const transport = createTransport({ namespace });
  try {
    assert.deepEqual(outcome, { acknowledged: true });
    const deviceId = randomUUID();
    const received = new Promise<unknown>((resolve, reject) => {
      client.subscribe({ query: 'subscription($id: ID) { deviceStatusChanged(deviceId: $id) { previousStatus status } }', variables: { id: deviceId } }, { next: resolve, error: reject, complete: () => undefined });
    });
    // The subscription is in place once the server has answered the subscribe; a short pause covers it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const scope = { deviceId, userId: randomUUID(), tenantId: randomUUID(), name: 'phone', version: 2 };
    await transport.publish(createEnvelope('device.status.changed', { ...scope, status: 'STOPPED', previousStatus: 'RUNNING', changedAt: new Date().toISOString() }, { source: 'test' }));
    assert.deepEqual(await received, { data: { deviceStatusChanged: { previousStatus: 'RUNNING', status: 'STOPPED' } } });
  } finally {
    await client.dispose();
    await transport.close();
  }
});
