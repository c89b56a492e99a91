import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { GatewayHandle } from '@cloudphone/gateway';
import { type GraphQLResult, graphql, realRedis } from '@cloudphone/testing';
import { type TestStack, preferredKind, startReplica, startTestStack } from './support/stack.js';

// Per user, across replicas: two gateways sharing Redis count one allowance.
const LIMIT = 6;
let stack: TestStack | undefined;
let replica: GatewayHandle | undefined;
let redisUrl: string | undefined;

before(async () => {
  redisUrl = await realRedis();
  const limits = { RATE_LIMIT_POINTS: String(LIMIT), RATE_LIMIT_ANONYMOUS_POINTS: '1000', RATE_LIMIT_WINDOW_SECONDS: '60' };
  stack = await startTestStack(await preferredKind(), null, limits);
  assert.ok(stack);
  if (!redisUrl) return;
  replica = await startReplica(stack, limits);
});
after(async () => {
  await replica?.close();
  await stack?.close();
});

test('past its allowance a user gets RATE_LIMITED (HTTP 429, Retry-After), counted across gateway replicas', async (context) => {
  if (!redisUrl) return context.skip('needs Redis: set TEST_REDIS_URL');
  assert.ok(stack && replica);
  // The stack's own sign-in spent nothing: it was anonymous. Split the allowance across both replicas.
  const urls = [stack.gatewayUrl, replica.url];
  for (let request = 0; request < LIMIT; request += 1) {
    const result: GraphQLResult<unknown> = await graphql(urls[request % 2] ?? '', '{ me { id } }', {}, stack.admin.headers);
    assert.equal(result.errors, undefined, `request ${request + 1}: ${JSON.stringify(result.errors)}`);
  }
  for (const url of urls) {
    const refused: GraphQLResult<unknown> = await graphql(url, '{ me { id } }', {}, stack.admin.headers);
    assert.equal(refused.status, 429);
    assert.equal(refused.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
    assert.equal(refused.errors?.[0]?.extensions?.retryable, true);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal(refused.errors?.[0]?.extensions?.retryAfter, retryAfter);
  }
});
