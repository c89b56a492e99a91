import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { type DataChangeChannel, InProcessDataChangeChannel, RedisDataChangeChannel } from '@cloudphone/data-changes';
import type { SubgraphCacheOutcome } from '@cloudphone/observability';
import { realRedis } from '@cloudphone/testing';
import { Redis } from 'ioredis';
import { type AnswerStore, MemoryAnswerStore, RedisAnswerStore, TieredAnswerStore } from './answer-store.js';
import { SubgraphCache } from './subgraph-cache.js';

const URL = 'http://127.0.0.1:4002/graphql';
const BODY = '{"query":"{ devices { id } }"}';

/** A subgraph that answers `{"data":{"n":<how often it was asked>}}`, or what `next` says. */
function countingSubgraph() {
  let asked = 0;
  let next: { status: number; body: string } | undefined;
  const load = async () => {
    asked += 1;
    const answer = next ?? { status: 200, body: `{"data":{"n":${asked}}}` };
    next = undefined;
    return new Response(answer.body, { status: answer.status, headers: { 'content-type': 'application/json' } });
  };
  return { load, asked: () => asked, answerNext: (status: number, body: string) => void (next = { status, body }) };
}

function cacheOver(store: AnswerStore, channel: DataChangeChannel, namespace: string) {
  const outcomes: SubgraphCacheOutcome[] = [];
  const cache = new SubgraphCache(store, channel, { ttlMs: 60_000, maxAnswerLength: 10_000, namespace, observe: (_subgraph, outcome) => void outcomes.push(outcome), onError: () => undefined });
  return { cache, outcomes };
}

async function text(response: Promise<{ text(): Promise<string> }>): Promise<string> {
  return (await response).text();
}

async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > 2_000) assert.fail(`${what} within 2 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function inProcessCache() {
  const namespace = `cache-test-${randomUUID()}`;
  const { cache, outcomes } = cacheOver(new MemoryAnswerStore(1_000_000), new InProcessDataChangeChannel(namespace), namespace);
  await cache.start(['devices', 'users']);
  // What a subgraph thread announces on: another channel of the same name.
  const subgraphSide = new InProcessDataChangeChannel(namespace);
  return { cache, outcomes, subgraphSide, close: async () => Promise.all([cache.close(), subgraphSide.close()]) };
}

test('a kept answer is served to the same principal and body, never to another principal or for another body', async (t) => {
  const { cache, outcomes, close } = await inProcessCache();
  t.after(close);
  const subgraph = countingSubgraph();
  assert.equal(await text(cache.fetch('devices', 'alice', URL, BODY, subgraph.load)), '{"data":{"n":1}}');
  assert.equal(await text(cache.fetch('devices', 'alice', URL, BODY, subgraph.load)), '{"data":{"n":1}}');
  assert.equal(await text(cache.fetch('devices', 'bob', URL, BODY, subgraph.load)), '{"data":{"n":2}}');
  assert.equal(await text(cache.fetch('devices', 'alice', URL, '{"query":"{ devices { name } }"}', subgraph.load)), '{"data":{"n":3}}');
  assert.equal(subgraph.asked(), 3);
  assert.deepEqual(outcomes, ['miss', 'hit', 'miss', 'miss']);
});

test('a change announced by the subgraph makes its kept answers stale, and only its own', async (t) => {
  const { cache, subgraphSide, close } = await inProcessCache();
  t.after(close);
  const devices = countingSubgraph();
  const users = countingSubgraph();
  await text(cache.fetch('devices', 'alice', URL, BODY, devices.load));
  await text(cache.fetch('users', 'alice', URL, BODY, users.load));
  await subgraphSide.announce(['devices']);
  await eventually(async () => (await text(cache.fetch('devices', 'alice', URL, BODY, devices.load))) === '{"data":{"n":2}}', 'the devices answer is read again');
  assert.equal(await text(cache.fetch('users', 'alice', URL, BODY, users.load)), '{"data":{"n":1}}');
  assert.equal(users.asked(), 1);
});

test('an answer read while the data changed is never served', async (t) => {
  const { cache, subgraphSide, close } = await inProcessCache();
  t.after(close);
  let asked = 0;
  const changingWhileRead = async () => {
    asked += 1;
    await subgraphSide.announce(['devices']);
    // The notice crosses threads' channels as a message: give it the turn it needs.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return new Response(`{"data":{"n":${asked}}}`, { status: 200 });
  };
  assert.equal(await text(cache.fetch('devices', 'alice', URL, BODY, changingWhileRead)), '{"data":{"n":1}}');
  assert.equal(await text(cache.fetch('devices', 'alice', URL, BODY, changingWhileRead)), '{"data":{"n":2}}');
});

test('errors, failed statuses and answers without data are not kept', async (t) => {
  const { cache, close } = await inProcessCache();
  t.after(close);
  const subgraph = countingSubgraph();
  for (const [status, body] of [[200, '{"errors":[{"message":"nope"}],"data":null}'], [200, '{"data":{"devices":null},"errors":[{"message":"partly"}]}'], [503, 'down']] as const) {
    subgraph.answerNext(status, body);
    const response = await cache.fetch('devices', 'alice', URL, BODY, subgraph.load);
    assert.equal(response.status, status);
    assert.equal(await response.text(), body);
  }
  assert.equal(await text(cache.fetch('devices', 'alice', URL, BODY, subgraph.load)), '{"data":{"n":4}}');
  assert.equal(subgraph.asked(), 4);
});

test('while out of sync, or until a change made here is announced, every read goes to the subgraph', async (t) => {
  const { cache, outcomes, close } = await inProcessCache();
  t.after(close);
  const subgraph = countingSubgraph();
  await text(cache.fetch('devices', 'alice', URL, BODY, subgraph.load));
  cache.synchronised(false);
  assert.equal(await text(cache.fetch('devices', 'alice', URL, BODY, subgraph.load)), '{"data":{"n":2}}');
  cache.synchronised(true);
  const announced = cache.changedHere(['devices']);
  // Not yet announced: read directly, and nothing kept.
  assert.equal(await text(cache.fetch('devices', 'alice', URL, BODY, subgraph.load)), '{"data":{"n":3}}');
  await announced;
  assert.equal(await text(cache.fetch('devices', 'alice', URL, BODY, subgraph.load)), '{"data":{"n":4}}');
  assert.equal(await text(cache.fetch('devices', 'alice', URL, BODY, subgraph.load)), '{"data":{"n":4}}');
  assert.deepEqual(outcomes, ['miss', 'bypass', 'bypass', 'miss', 'hit']);
});

test('through Redis, gateways share kept answers, and a change announced by one is heard by the other', async (t) => {
  const redisUrl = await realRedis();
  if (!redisUrl) return t.skip('no TEST_REDIS_URL');
  const namespace = `cache-test-${randomUUID()}`;
  const clients = [new Redis(redisUrl), new Redis(redisUrl)];
  const replicas = clients.map((client) => cacheOver(new TieredAnswerStore(new MemoryAnswerStore(1_000_000), new RedisAnswerStore(client)), new RedisDataChangeChannel(redisUrl, namespace), namespace));
  t.after(async () => {
    await Promise.all(replicas.map(({ cache }) => cache.close()));
    for (const client of clients) client.disconnect();
  });
  await Promise.all(replicas.map(({ cache }) => cache.start(['devices'])));
  const [first, second] = replicas.map(({ cache }) => cache);
  assert.ok(first && second);
  const subgraph = countingSubgraph();
  // Once in sync (the first counter read), the first replica keeps what it read and the second serves it.
  await eventually(async () => {
    await text(first.fetch('devices', 'alice', URL, BODY, subgraph.load));
    return (await text(second.fetch('devices', 'alice', URL, BODY, subgraph.load))) === `{"data":{"n":${subgraph.asked()}}}` && replicas[1]?.outcomes.at(-1) === 'hit';
  }, 'the second replica serves what the first kept');
  const before = subgraph.asked();
  await first.changedHere(['devices']);
  await eventually(async () => (await text(second.fetch('devices', 'alice', URL, BODY, subgraph.load))) === `{"data":{"n":${before + 1}}}`, 'the second replica reads again after the first one\'s write');
});

test('a shared answer is copied near to expire with the shared one, and kept in both', async (t) => {
  const redisUrl = await realRedis();
  if (!redisUrl) return t.skip('no TEST_REDIS_URL');
  const client = new Redis(redisUrl);
  t.after(() => client.disconnect());
  const far = new RedisAnswerStore(client);
  const [near, otherNear] = [new MemoryAnswerStore(1_000_000), new MemoryAnswerStore(1_000_000)];
  const key = `cache-test-${randomUUID()}`;
  await new TieredAnswerStore(near, far).set(key, '7\n{"data":{}}', 5_000);
  assert.equal((await near.get(key))?.value, '7\n{"data":{}}');
  await client.pexpire(key, 2_000);
  const read = await new TieredAnswerStore(otherNear, far).get(key);
  assert.equal(read?.value, '7\n{"data":{}}');
  const nearCopy = await otherNear.get(key);
  assert.ok(nearCopy && nearCopy.ttlMs <= 2_000 && nearCopy.ttlMs > 1_000, `the near copy expires with the shared one: ${nearCopy?.ttlMs} ms left`);
  await client.del(key);
  assert.equal(await far.get(key), undefined);
});
