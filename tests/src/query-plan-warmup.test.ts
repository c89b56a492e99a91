import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { scrapeMetrics, sumOf } from '@cloudphone/testing';
import { buildDemoDataset, repoPath } from '@cloudphone/tools';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

// The gateway warms its query plan store from schema/operations/manifest.json at every schema load:
// the console's operations are plan-store hits from their first request, and their hashes are known to APQ.

interface ManifestOperation {
  id: string;
  name: string;
  type: string;
  body: string;
}
const manifest = JSON.parse(await readFile(repoPath('schema', 'operations', 'manifest.json'), 'utf8')) as { operations: ManifestOperation[] };
const operation = (name: string): ManifestOperation => {
  const found = manifest.operations.find((candidate) => candidate.name === name);
  assert.ok(found, `${name} is in the manifest`);
  return found;
};

const committed = await readFile(repoPath('schema', 'supergraph.graphql'), 'utf8');
// A release that drops Plan.periodDays, which only OrderList selects.
const PERIOD_DAYS = '\n  """Length of one billing period in days."""\n  periodDays: Int!\n';
assert.equal(committed.split(PERIOD_DAYS).length, 2, 'the committed supergraph has Plan.periodDays once');
const withoutPeriodDays = committed.replace(PERIOD_DAYS, '\n');

let folder: string;
let supergraphPath: string;
let stack: TestStack | undefined;

before(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'plan-warmup-'));
  supergraphPath = path.join(folder, 'supergraph.graphql');
  await writeFile(supergraphPath, committed);
  stack = await startTestStack(await preferredKind(), { ...buildDemoDataset() }, { SUPERGRAPH_PATH: supergraphPath });
});
after(async () => {
  await stack?.close();
  await rm(folder, { recursive: true, force: true });
});

function running(): TestStack {
  assert.ok(stack);
  return stack;
}

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** A POST as Apollo Client sends it: the query text, its operation name, and (APQ) its hash; `hashOnly` leaves the text out. */
async function send(body: string, operationName: string | undefined, options: { hashOnly?: boolean } = {}): Promise<Answer> {
  const { gatewayUrl, admin } = running();
  const sha256Hash = manifest.operations.find((entry) => entry.body === body)?.id;
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { ...admin.headers, 'content-type': 'application/json' },
    body: JSON.stringify({
      ...(options.hashOnly ? {} : { query: body }),
      ...(operationName ? { operationName } : {}),
      ...(options.hashOnly ? { extensions: { persistedQuery: { version: 1, sha256Hash } } } : {}),
    }),
  });
  return (await response.json()) as Answer;
}

/** The gateway's plan-store lookups so far: hits and misses. */
async function planLookups(): Promise<{ hit: number; miss: number }> {
  const scrape = await scrapeMetrics(running().gatewayUrl.replace(/\/graphql$/, '/metrics'));
  const count = (outcome: string) => sumOf(scrape, 'cloudphone_query_plan_cache_total', { outcome });
  return { hit: count('hit'), miss: count('miss') };
}

/** What `act` added to the plan-store counters. */
async function lookupsDuring(act: () => Promise<void>): Promise<{ hit: number; miss: number }> {
  const before = await planLookups();
  await act();
  const after = await planLookups();
  return { hit: after.hit - before.hit, miss: after.miss - before.miss };
}

const succeeded = (answer: Answer) => assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));

test('the first request of a manifest operation after start is a plan-store hit', async () => {
  const report = await running().gateway.queryPlanWarmup();
  assert.ok(report.planned >= 10, `the console's queries and mutations were planned (${report.planned})`);
  assert.deepEqual(report.skipped, []);
  const counted = await lookupsDuring(async () => {
    succeeded(await send(operation('AdminDeviceList').body, 'AdminDeviceList'));
    succeeded(await send(operation('OrderList').body, 'OrderList'));
  });
  assert.deepEqual(counted, { hit: 2, miss: 0 });
});

test('an operation outside the manifest is a miss, then a hit; a manifest operation beside it is a hit at once', async () => {
  const unknown = `query Fresh${randomUUID().replaceAll('-', '')} { devices(first: 1) { totalCount } }`;
  const first = await lookupsDuring(async () => {
    succeeded(await send(unknown, undefined));
    succeeded(await send(operation('Viewer').body, 'Viewer'));
  });
  assert.deepEqual(first, { hit: 1, miss: 1 });
  const again = await lookupsDuring(async () => succeeded(await send(unknown, undefined)));
  assert.deepEqual(again, { hit: 1, miss: 0 });
});

test('after a supergraph reload the manifest is warm again; an operation the new supergraph drops is skipped, with why', async () => {
  const gateway = running().gateway;
  await writeFile(supergraphPath, withoutPeriodDays);
  try {
    assert.equal(await gateway.reload(), true);
    const report = await gateway.queryPlanWarmup();
    assert.deepEqual(report.skipped.map((skipped) => skipped.name), ['OrderList']);
    assert.match(report.skipped[0]?.reason ?? '', /periodDays/);
    // Both were asked before the reload, which emptied the store: a hit now is the warm-up's.
    const counted = await lookupsDuring(async () => {
      succeeded(await send(operation('AdminDeviceList').body, 'AdminDeviceList'));
      succeeded(await send(operation('Viewer').body, 'Viewer'));
    });
    assert.deepEqual(counted, { hit: 2, miss: 0 });
    const stale = await send(operation('OrderList').body, 'OrderList');
    assert.equal(stale.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED', 'refused by validation, as without the warm-up');
  } finally {
    await writeFile(supergraphPath, committed);
    await gateway.reload();
    await gateway.queryPlanWarmup();
  }
});

test('a hash-only APQ request for a manifest operation is answered on its first request, without PERSISTED_QUERY_NOT_FOUND', async () => {
  const viewer = operation('Viewer');
  const byHash = await send(viewer.body, 'Viewer', { hashOnly: true });
  succeeded(byHash);
  const whole = await send(viewer.body, 'Viewer');
  assert.deepEqual(byHash.data, whole.data);
  assert.ok((byHash.data?.['me'] as { id?: string } | undefined)?.id, 'the signed-in admin');
});
