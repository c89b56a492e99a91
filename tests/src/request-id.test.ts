import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { graphql } from '@cloudphone/testing';
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
