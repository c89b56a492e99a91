import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type GraphQLResult, graphql } from '@cloudphone/testing';
import { buildDemoDataset } from '@cloudphone/tools';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

// Hostile shapes of operations, sent by a signed-in administrator: refused with their code, nothing written.
const dataset = buildDemoDataset();
const owner = dataset.users.users[0];
let stack: TestStack | undefined;

before(async () => {
  stack = await startTestStack(await preferredKind(), { ...dataset });
});
after(async () => {
  await stack?.close();
});

function ready(): TestStack {
  assert.ok(stack && owner?.id);
  return stack;
}

const call = (query: string, variables: Record<string, unknown> = {}) => graphql(ready().gatewayUrl, query, variables, ready().admin.headers);
const codes = (result: GraphQLResult<unknown>) => (result.errors ?? []).map((error) => error.extensions?.code);

async function counts(): Promise<{ tenants: number; users: number; devices: number }> {
  const result = await graphql<{ tenants: { totalCount: number }; users: { totalCount: number }; devices: { totalCount: number } }>(ready().gatewayUrl, '{ tenants { totalCount } users { totalCount } devices { totalCount } }', {}, ready().admin.headers);
  assert.ok(result.data, JSON.stringify(result.errors));
  return { tenants: result.data.tenants.totalCount, users: result.data.users.totalCount, devices: result.data.devices.totalCount };
}

async function post(body: string): Promise<{ status: number; body: { errors?: { extensions?: Record<string, unknown> }[] } }> {
  const response = await fetch(ready().gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...ready().admin.headers }, body });
  return { status: response.status, body: (await response.json()) as { errors?: { extensions?: Record<string, unknown> }[] } };
}

const createDevice = (alias: string) => `${alias}: createDevice(input: { userId: "${owner?.id}", name: "bomb", provider: REDROID, spec: { cpuCores: 1, memoryMb: 1024, storageGb: 8 }, androidVersion: "13" }) { id }`;

test('a deep query, and the same depth hidden in fragment spreads, are QUERY_TOO_COMPLEX', async () => {
  const deep = '{ devices(first: 1) { edges { node { user { devices(first: 1) { edges { node { user { devices(first: 1) { edges { node { user { id } } } } } } } } } } } } }';
  assert.deepEqual(codes(await call(deep)), ['QUERY_TOO_COMPLEX']);
  const spread = `{ devices(first: 1) { ...A } }
    fragment A on DeviceConnection { edges { node { user { ...B } } } }
    fragment B on User { devices(first: 1) { ...C } }
    fragment C on DeviceConnection { edges { node { user { devices(first: 1) { edges { node { user { id } } } } } } } }`;
  assert.deepEqual(codes(await call(spread)), ['QUERY_TOO_COMPLEX']);
});

test('a fragment cycle is a validation error, and the gateway keeps serving', async () => {
  const cycle = '{ users(first: 1) { ...A } } fragment A on UserConnection { edges { node { id } } ...B } fragment B on UserConnection { ...A }';
  assert.deepEqual(codes(await call(cycle)), ['GRAPHQL_VALIDATION_FAILED']);
  assert.equal((await call('{ users(first: 1) { totalCount } }')).errors, undefined);
});

test('an alias bomb of mutations is refused whole: no device is created', async () => {
  const before = await counts();
  const bomb = `mutation { ${Array.from({ length: 40 }, (_, index) => createDevice(`d${index}`)).join(' ')} }`;
  assert.deepEqual(codes(await call(bomb)), ['QUERY_TOO_COMPLEX']);
  assert.deepEqual(await counts(), before);
});

test('batched operations are refused whole: neither mutation runs', async () => {
  const before = await counts();
  const mutation = { query: 'mutation { createTenant(input: { name: "batched", maxUsers: 1, maxDevices: 1 }) { id } }' };
  const answer = await post(JSON.stringify([mutation, { ...mutation, query: mutation.query.replace('batched', 'batched-2') }]));
  assert.equal(answer.status, 400);
  assert.deepEqual(answer.body.errors?.map((error) => error.extensions?.code), ['BAD_USER_INPUT']);
  assert.deepEqual(await counts(), before);
});

test('first: 100000, as a literal and as a variable, is QUERY_TOO_COMPLEX before any subgraph is asked', async () => {
  for (const result of [await call('{ users(first: 100000) { totalCount } }'), await call('query($n: Int) { devices(first: $n) { totalCount } }', { n: 100_000 })]) {
    assert.ok(result.errors?.length, 'refused');
    assert.ok(result.errors.every((error) => error.extensions?.code === 'QUERY_TOO_COMPLEX'), JSON.stringify(result.errors));
    assert.ok(result.errors.some((error) => error.extensions?.limit === 'first'), 'the page limit names itself');
    assert.equal(result.data ?? null, null);
  }
});

test('oversized and malformed inputs are BAD_USER_INPUT and write nothing', async () => {
  const before = await counts();
  const huge = await call('mutation($name: String!) { createTenant(input: { name: $name, maxUsers: 1, maxDevices: 1 }) { id } }', { name: 'x'.repeat(10_000) });
  assert.deepEqual(codes(huge), ['BAD_USER_INPUT']);
  const wrongType = await call('mutation($n: Int!) { createTenant(input: { name: "typed", maxUsers: $n, maxDevices: 1 }) { id } }', { n: 'many' });
  assert.deepEqual(codes(wrongType), ['BAD_USER_INPUT']);
  const negative = await call('mutation { createTenant(input: { name: "negative", maxUsers: -5, maxDevices: 1 }) { id } }');
  assert.deepEqual(codes(negative), ['BAD_USER_INPUT']);
  const notJson = await post('{"query": "{ users { totalCount } }"');
  assert.equal(notJson.status, 400);
  assert.deepEqual(notJson.body.errors?.map((error) => error.extensions?.code), ['BAD_USER_INPUT']);
  const tooLarge = await post(JSON.stringify({ query: `{ users(first: 1) { totalCount } } # ${'x'.repeat(1_100_000)}` }));
  assert.equal(tooLarge.status, 413);
  assert.deepEqual(tooLarge.body.errors?.map((error) => error.extensions?.code), ['BAD_USER_INPUT']);
  assert.deepEqual(await counts(), before);
});
