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

/** An anonymous request as from `client`, named by a proxy in x-forwarded-for. */
async function anonymousFrom(url: string, client: string): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': client }, body: JSON.stringify({ query: '{ __typename }' }) });
  return response.status;
}

/** A client address no other run used, so counts kept in Redis from earlier runs do not interfere. */
const someClient = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

test('anonymous callers are limited by address: behind a trusted proxy, by the address it names; otherwise x-forwarded-for is ignored', async () => {
  assert.ok(stack);
  const anonymous = { RATE_LIMIT_ANONYMOUS_POINTS: '2', RATE_LIMIT_WINDOW_SECONDS: '60' };
  const behindProxy = await startReplica(stack, { ...anonymous, TRUST_PROXY: 'loopback' });
  const direct = await startReplica(stack, anonymous);
  try {
    const [first, second] = [someClient(), someClient()];
    assert.deepEqual([await anonymousFrom(behindProxy.url, first), await anonymousFrom(behindProxy.url, first), await anonymousFrom(behindProxy.url, first)], [200, 200, 429]);
    assert.equal(await anonymousFrom(behindProxy.url, second), 200, 'another client behind the proxy has its own allowance');
    // Not trusted: every request counts against the connection's address (loopback), whatever the header claims.
    const statuses = [];
    for (let request = 0; request < 3; request += 1) statuses.push(await anonymousFrom(direct.url, someClient()));
    assert.equal(statuses.at(-1), 429, `x-forwarded-for was believed: ${statuses.join(', ')}`);
  } finally {
    await behindProxy.close();
    await direct.close();
  }
});
