import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { graphql } from '@cloudphone/testing';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

let stack: TestStack | undefined;

before(async () => {
  stack = await startTestStack(await preferredKind(), null);
});
after(async () => {
  await stack?.close();
});

/** `user { devices { edges { node { ` repeated: 4 levels a round. */
const ROUNDS = 'user { devices(first: 1) { edges { node { '.repeat(2);
const CLOSE = ' } } } }'.repeat(2);

/** The first error a subscription gets over the socket. */
async function socketErrors(query: string): Promise<readonly { message: string; extensions?: Record<string, unknown> }[]> {
  assert.ok(stack);
  const client = createClient({ url: stack.gatewayUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${stack.admin.accessToken}` } });
  try {
    return await new Promise((resolve, reject) => {
      client.subscribe(
        { query },
        {
          next: (value) => reject(new Error(`expected an error, got ${JSON.stringify(value)}`)),
          error: (error) => (Array.isArray(error) ? resolve(error) : reject(error instanceof Error ? error : new Error(JSON.stringify(error)))),
          complete: () => reject(new Error('completed without an error')),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

const withoutRequestId = (extensions: Record<string, unknown> | undefined) => {
  const { requestId, ...rest } = extensions ?? {};
  assert.equal(typeof requestId, 'string');
  return rest;
};

test('one depth rule: too deep over HTTP and over the socket is QUERY_TOO_COMPLEX with the same extensions', async () => {
  assert.ok(stack);
  // 13 levels each: devices, edges, node, 2 rounds, user, email / deviceStatusChanged, device, 2 rounds, user, tenant, id.
  const http = await graphql(stack.gatewayUrl, `{ devices(first: 1) { edges { node { ${ROUNDS}user { email }${CLOSE} } } } }`, {}, stack.admin.headers);
  assert.equal(http.status, 400);
  assert.equal(http.errors?.length, 1, JSON.stringify(http.errors));
  assert.equal(http.errors?.[0]?.message, 'Query depth limit of 12 exceeded, found 13.');
  const socket = await socketErrors(`subscription { deviceStatusChanged { status device { ${ROUNDS}user { tenant { id } }${CLOSE} } } }`);
  assert.equal(socket.length, 1, JSON.stringify(socket));
  assert.equal(socket[0]?.message, 'Query depth limit of 12 exceeded, found 13.');
  const expected = { code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: 12, service: 'gateway', retryable: false };
  assert.deepEqual(withoutRequestId(http.errors?.[0]?.extensions), expected);
  assert.deepEqual(withoutRequestId(socket[0]?.extensions), expected);
});

test('cost and aliases are limited over HTTP too; a query within the limits is answered', async () => {
  assert.ok(stack);
  const costly = await graphql(stack.gatewayUrl, '{ users(first: 100) { edges { node { devices(first: 100) { edges { node { orders(first: 100) { totalCount } } } } } } } }', {}, stack.admin.headers);
  assert.deepEqual(
    costly.errors?.map((error) => [error.extensions?.code, error.extensions?.['limit']]),
    [['QUERY_TOO_COMPLEX', 'cost']],
  );
  const aliases = Array.from({ length: 16 }, (_, index) => `t${index}: totalCount`).join(' ');
  const aliased = await graphql(stack.gatewayUrl, `{ users(first: 1) { ${aliases} } }`, {}, stack.admin.headers);
  assert.deepEqual(
    aliased.errors?.map((error) => [error.extensions?.code, error.extensions?.['limit']]),
    [['QUERY_TOO_COMPLEX', 'aliases']],
  );
  const fine = await graphql(stack.gatewayUrl, `{ users(first: 1) { ${aliases.replace(/ t15: totalCount$/, '')} } }`, {}, stack.admin.headers);
  assert.equal(fine.errors, undefined, JSON.stringify(fine.errors));
});

test('an unknown field over the socket is GRAPHQL_VALIDATION_FAILED, as over HTTP', async () => {
  assert.ok(stack);
  const http = await graphql(stack.gatewayUrl, '{ users(first: 1) { nope } }', {}, stack.admin.headers);
  const socket = await socketErrors('subscription { deviceStatusChanged { nope } }');
  assert.equal(http.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.equal(socket[0]?.extensions?.['code'], 'GRAPHQL_VALIDATION_FAILED');
  assert.match(socket[0]?.message ?? '', /Cannot query field "nope" on type "DeviceStatusEvent"/);
});
