import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { realPostgres } from '@cloudphone/testing';
import postgres from 'postgres';
import { eventually } from './support/events.js';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

let stack: TestStack | undefined;

before(async () => {
  stack = await startTestStack(await preferredKind(), null);
  assert.ok(stack);
});
after(async () => {
  await stack?.close();
});

function running(): TestStack {
  assert.ok(stack);
  return stack;
}

interface Probe {
  status: number;
  body: { status: string; checks?: Record<string, string> };
}

async function probe(url: string): Promise<Probe> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as Probe['body'] };
}

/** A probe beside a service's /graphql. */
const probeUrl = (graphqlUrl: string, probe: 'health' | 'ready') => graphqlUrl.replace(/\/graphql$/, `/${probe}`);
const readyUrl = (graphqlUrl: string) => probeUrl(graphqlUrl, 'ready');

test('the gateway and every subgraph answer /health, and /ready with their database and broker up', async () => {
  const stack = running();
  assert.equal((await probe(probeUrl(stack.gatewayUrl, 'health'))).status, 200);
  const gateway = await probe(readyUrl(stack.gatewayUrl));
  assert.deepEqual([gateway.status, gateway.body.status, gateway.body.checks], [200, 'ready', { events: 'up', revocations: 'up' }]);
  for (const [name, url] of Object.entries(stack.subgraphUrls)) {
    assert.equal((await probe(probeUrl(url, 'health'))).status, 200, name);
    const ready = await probe(readyUrl(url));
    assert.deepEqual([ready.status, ready.body.checks], [200, { database: 'up', events: 'up' }], name);
  }
});

test("a subgraph whose database stops answering is not ready, and is ready again once it is back", async (context) => {
  const stack = running();
  const adminUrl = await realPostgres();
  const target = stack.databases['notifications'];
  if (adminUrl === undefined || target?.kind !== 'postgres') return context.skip('needs PostgreSQL: set TEST_POSTGRES_URL');
  const database = new URL(target.url).pathname.slice(1);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  const url = readyUrl(stack.subgraphUrls['notifications'] ?? '');
  try {
    // The database refuses new connections and drops the open ones: for the subgraph, it is down.
    await admin.unsafe(`alter database "${database}" allow_connections false`);
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${database}`;
    let down: Probe | undefined;
    await eventually(async () => {
      down = await probe(url);
      return down.status === 503;
    }, 'notifications reports not ready');
    assert.deepEqual(down?.body.checks, { database: 'down', events: 'up' });
    assert.equal((await probe(readyUrl(stack.subgraphUrls['users'] ?? ''))).status, 200, 'the others stay ready');
  } finally {
    await admin.unsafe(`alter database "${database}" allow_connections true`);
  }
  try {
    await eventually(async () => (await probe(url)).status === 200, 'notifications is ready again');
  } finally {
    await admin.end();
  }
});
