import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { realRedis } from '@cloudphone/testing';
import { type GatewayMain, buildDemoDataset, gatewayEnvironment, startGatewayMain } from '@cloudphone/tools';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

const redisUrl = await realRedis();
let stack: TestStack | undefined;

before(async () => {
  stack = await startTestStack(await preferredKind(), { ...buildDemoDataset() });
});
after(async () => {
  await stack?.close();
});

interface Answer {
  data?: { devices?: { totalCount: number } } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** An APQ request: the hash always, the query only when `withQuery` (as Apollo Client's link sends them). */
async function send(gatewayUrl: string, headers: Record<string, string>, query: string, withQuery: boolean): Promise<Answer> {
  const sha256Hash = createHash('sha256').update(query).digest('hex');
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ ...(withQuery ? { query } : {}), extensions: { persistedQuery: { version: 1, sha256Hash } } }),
  });
  return (await response.json()) as Answer;
}

/** A query no other test registered: the alias makes its text, and so its hash, new. */
const freshQuery = () => `{ n${randomUUID().replaceAll('-', '')}: devices(first: 1) { totalCount } }`;

test('a query sent once with its hash is then answered by its hash alone; an unknown hash is PERSISTED_QUERY_NOT_FOUND', async () => {
  assert.ok(stack);
  const query = freshQuery();
  const unknown = await send(stack.gatewayUrl, stack.admin.headers, query, false);
  assert.deepEqual(unknown.errors?.map((error) => error.extensions?.code), ['PERSISTED_QUERY_NOT_FOUND']);
  const registered = await send(stack.gatewayUrl, stack.admin.headers, query, true);
  assert.equal(registered.errors, undefined, JSON.stringify(registered.errors));
  const byHash = await send(stack.gatewayUrl, stack.admin.headers, query, false);
  assert.equal(byHash.errors, undefined, JSON.stringify(byHash.errors));
  assert.deepEqual(byHash.data, registered.data);
});

test('with Redis, a query registered through one gateway process is answered by its hash through another', async (context) => {
  if (!redisUrl) return context.skip('needs Redis: set TEST_REDIS_URL');
  assert.ok(stack);
  const second: GatewayMain = await startGatewayMain({
    ...gatewayEnvironment({ urls: stack.subgraphUrls, internalSecret: stack.internalSecret, events: stack.events, redisUrl }),
    GATEWAY_PORT: '0',
  });
  try {
    const query = freshQuery();
    const registered = await send(stack.gatewayUrl, stack.admin.headers, query, true);
    assert.equal(registered.errors, undefined, JSON.stringify(registered.errors));
    const elsewhere = await send(second.url, stack.admin.headers, query, false);
    assert.equal(elsewhere.errors, undefined, JSON.stringify(elsewhere.errors));
    assert.deepEqual(elsewhere.data, registered.data);
  } finally {
    await second.close();
  }
});
