import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { graphql } from '@cloudphone/testing';
import { serviceHeaders } from './support/auth.js';
import { eventually } from './support/events.js';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

let stack: TestStack | undefined;

before(async () => {
  stack = await startTestStack(await preferredKind(), null);
});
after(async () => {
  await stack?.close();
});

test('a client request id reaches the subgraphs and comes back on every error and in the response header', async () => {
  assert.ok(stack);
  const result = await graphql(stack.gatewayUrl, '{ device(id: "bad") { id } user(id: "bad") { id } }', {}, { 'x-request-id': 'client-req-42', ...stack.admin.headers });
  assert.equal(result.headers.get('x-request-id'), 'client-req-42');
  assert.equal(result.errors?.length, 2);
  for (const error of result.errors ?? []) assert.equal(error.extensions?.requestId, 'client-req-42');
});

test('without a request id the gateway makes one, the same for all errors of the request', async () => {
  assert.ok(stack);
  const result = await graphql(stack.gatewayUrl, '{ device(id: "bad") { id } user(id: "bad") { id } }', {}, stack.admin.headers);
  const header = result.headers.get('x-request-id');
  assert.match(header ?? '', /^[0-9a-f-]{36}$/);
  for (const error of result.errors ?? []) assert.equal(error.extensions?.requestId, header);
});

test('a hostile request id is replaced, not echoed', async () => {
  assert.ok(stack);
  const result = await graphql(stack.gatewayUrl, '{ user(id: "bad") { id } }', {}, { 'x-request-id': '<script>alert(1)</script>', ...stack.admin.headers });
  assert.notEqual(result.headers.get('x-request-id'), '<script>alert(1)</script>');
  assert.equal(result.errors?.[0]?.extensions?.requestId, result.headers.get('x-request-id'));
});

test('an unexpected error is logged as one JSON line with the request id its caller got', async () => {
  assert.ok(stack);
  const devices = stack.subgraphs.get('devices');
  assert.ok(devices);
  // A representation of a type the subgraph does not have (a gateway on another supergraph): Apollo fails unexpectedly.
  const result = await graphql(devices.url, 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: [{ __typename: 'NoSuchType', id: 'x' }] }, await serviceHeaders(stack));
  assert.deepEqual(result.errors?.map((error) => error.extensions?.code), ['INTERNAL_ERROR']);
  const requestId = result.headers.get('x-request-id');
  assert.match(requestId ?? '', /^[0-9a-f-]{36}$/);
  assert.equal(result.errors?.[0]?.extensions?.requestId, requestId);
  assert.doesNotMatch(JSON.stringify(result.errors), /NoSuchType/, 'the detail stays in the log');

  let logged: Record<string, unknown> | undefined;
  await eventually(() => {
    const lines = devices.output().filter((line) => line.includes(requestId ?? 'none'));
    logged = lines.length === 1 ? (JSON.parse(lines[0] ?? '') as Record<string, unknown>) : undefined;
    return logged !== undefined;
  }, 'the error is logged once with its request id');
  assert.deepEqual(
    [logged?.['level'], logged?.['service'], logged?.['code'], logged?.['requestId']],
    ['error', 'devices', 'INTERNAL_ERROR', requestId],
  );
  assert.match(String(logged?.['message']), /NoSuchType/);
  assert.match(String(logged?.['stack']), /\n\s+at /);
  assert.ok(!Number.isNaN(Date.parse(String(logged?.['time']))));
});
