import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IDENTITY_HEADER } from '@cloudphone/identity';
import { InflightFetches } from './inflight-fetches.js';

const URL_A = 'http://127.0.0.1:4002/graphql';
const init = (identity: string, body = '{"query":"{ devices { id } }"}') => ({ method: 'POST', headers: { [IDENTITY_HEADER]: identity }, body });

/** A subgraph answer that arrives when `release` is called; counts how often it was asked. */
function slowSubgraph() {
  let asked = 0;
  const releases: (() => void)[] = [];
  const load = () => {
    asked += 1;
    const answer = `{"data":{"n":${asked}}}`;
    return new Promise<Response>((resolve) => releases.push(() => resolve(new Response(answer, { status: 200, headers: { 'content-type': 'application/json' } }))));
  };
  return { load, asked: () => asked, releaseAll: () => releases.splice(0).forEach((release) => release()) };
}

test('identical reads in flight share one fetch; each caller gets its own readable answer', async () => {
  const inflight = new InflightFetches();
  const subgraph = slowSubgraph();
  const first = inflight.fetch(URL_A, init('alice'), subgraph.load);
  const second = inflight.fetch(URL_A, init('alice'), subgraph.load);
  subgraph.releaseAll();
  const answers = await Promise.all([first, second]);
  assert.equal(subgraph.asked(), 1);
  assert.deepEqual(await Promise.all(answers.map((answer) => answer.text())), ['{"data":{"n":1}}', '{"data":{"n":1}}']);
  assert.equal(answers[0]?.headers.get('content-type'), 'application/json');
  assert.equal(inflight.shared, 1);
});

test('another identity, another body or another subgraph is fetched on its own', async () => {
  const inflight = new InflightFetches();
  const subgraph = slowSubgraph();
  const pending = [
    inflight.fetch(URL_A, init('alice'), subgraph.load),
    inflight.fetch(URL_A, init('bob'), subgraph.load),
    inflight.fetch(URL_A, init('alice', '{"query":"{ nodes { id } }"}'), subgraph.load),
    inflight.fetch('http://127.0.0.1:4001/graphql', init('alice'), subgraph.load),
  ];
  subgraph.releaseAll();
  await Promise.all(pending);
  assert.equal(subgraph.asked(), 4);
  assert.equal(inflight.shared, 0);
});

test('a read after a new generation (a write, an event) does not join one that started before it', async () => {
  const inflight = new InflightFetches();
  const subgraph = slowSubgraph();
  const before = inflight.fetch(URL_A, init('alice'), subgraph.load);
  inflight.newGeneration();
  const after = inflight.fetch(URL_A, init('alice'), subgraph.load);
  subgraph.releaseAll();
  assert.deepEqual(await Promise.all([(await before).text(), (await after).text()]), ['{"data":{"n":1}}', '{"data":{"n":2}}']);
});

test('nothing outlives the fetch: a finished read is not reused, and a failure reaches every waiter and is not kept', async () => {
  const inflight = new InflightFetches();
  const subgraph = slowSubgraph();
  const first = inflight.fetch(URL_A, init('alice'), subgraph.load);
  subgraph.releaseAll();
  await first;
  const later = inflight.fetch(URL_A, init('alice'), subgraph.load);
  subgraph.releaseAll();
  assert.equal(await (await later).text(), '{"data":{"n":2}}');

  const failing = () => Promise.reject(new Error('subgraph down'));
  const waiters = [inflight.fetch(URL_A, init('carol'), failing), inflight.fetch(URL_A, init('carol'), failing)];
  for (const waiter of waiters) await assert.rejects(waiter, /subgraph down/);
  const retried = inflight.fetch(URL_A, init('carol'), subgraph.load);
  subgraph.releaseAll();
  assert.equal(await (await retried).text(), '{"data":{"n":3}}');
});

test('switched off (SUBGRAPH_SHARE_INFLIGHT=false), every read is fetched on its own', async () => {
  const inflight = new InflightFetches(false);
  const subgraph = slowSubgraph();
  const pending = [inflight.fetch(URL_A, init('alice'), subgraph.load), inflight.fetch(URL_A, init('alice'), subgraph.load)];
  subgraph.releaseAll();
  await Promise.all(pending);
  assert.equal(subgraph.asked(), 2);
});

test('a fetch without an identity is never shared', async () => {
  const inflight = new InflightFetches();
  const subgraph = slowSubgraph();
  const pending = [inflight.fetch(URL_A, { method: 'POST', body: '{}' }, subgraph.load), inflight.fetch(URL_A, { method: 'POST', body: '{}' }, subgraph.load)];
  subgraph.releaseAll();
  await Promise.all(pending);
  assert.equal(subgraph.asked(), 2);
});
