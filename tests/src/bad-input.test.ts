import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type GraphQLResult, graphql } from '@cloudphone/testing';
import { buildDemoDataset } from '@cloudphone/tools';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

const dataset = buildDemoDataset();
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
let stack: TestStack | undefined;

before(async () => {
  stack = await startTestStack(await preferredKind(), { ...dataset });
});
after(async () => {
  await stack?.close();
});

function gateway(): string {
  if (!stack) throw new Error('stack not started');
  return stack.gatewayUrl;
}

/** Every call here is the demo administrator's: the inputs, not the caller, are what is wrong. */
function asAdmin(): Record<string, string> {
  if (!stack) throw new Error('stack not started');
  return stack.admin.headers;
}

function assertError(result: GraphQLResult<unknown>, code: string, service: string): void {
  assert.ok(result.errors?.length, `expected a ${code} error, got ${JSON.stringify(result)}`);
  const [error] = result.errors;
  assert.equal(error?.extensions?.code, code, JSON.stringify(result.errors));
  assert.equal(error?.extensions?.service, service);
  assert.equal(typeof error?.extensions?.requestId, 'string');
  assert.equal(error?.extensions?.retryable, false);
  assert.doesNotMatch(JSON.stringify(result.errors), /select |insert |stack|at .*\.js/i, 'no internals reach the client');
}

async function totals(): Promise<{ users: number; devices: number; orders: number; installs: number }> {
  const result = await graphql<{ users: { totalCount: number }; devices: { totalCount: number }; orders: { totalCount: number }; device: { applications: unknown[] } }>(
    gateway(),
    `query Totals($device: ID!) { users { totalCount } devices { totalCount } orders { totalCount } device(id: $device) { applications { status } } }`,
    { device: runningDevice().id }, asAdmin(),
  );
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  const data = result.data;
  assert.ok(data);
  return { users: data.users.totalCount, devices: data.devices.totalCount, orders: data.orders.totalCount, installs: data.device.applications.length };
}

function runningDevice() {
  const device = dataset.devices.devices.find((candidate) => candidate.status === 'RUNNING');
  if (!device?.id) throw new Error('the demo seed has a running device');
  return device;
}

describe('bad input gets a clear error and writes nothing', () => {
  test('a device for an unknown user is USER_NOT_FOUND', async () => {
    const before = await totals();
    const result = await graphql(gateway(), `mutation { createDevice(input: { userId: "${UNKNOWN_ID}", name: "ghost", provider: REDROID, spec: { cpuCores: 2, memoryMb: 4096, storageGb: 32 }, androidVersion: "13" }) { id } }`, {}, asAdmin());
    assertError(result, 'USER_NOT_FOUND', 'devices');
    assert.deepEqual(await totals(), before);
  });

  test('an install of an unknown application is APPLICATION_NOT_FOUND', async () => {
    const before = await totals();
    const result = await graphql(gateway(), `mutation($device: ID!) { installApplication(input: { deviceId: $device, applicationId: "${UNKNOWN_ID}" }) { id } }`, {
      device: runningDevice().id,
    }, asAdmin());
    assertError(result, 'APPLICATION_NOT_FOUND', 'apps');
    assert.deepEqual(await totals(), before);
  });

  test('an invalid e-mail is BAD_USER_INPUT naming the field', async () => {
    const before = await totals();
    const tenant = dataset.users.tenants[0];
    const result = await graphql(gateway(), `mutation($tenant: ID!) { createUser(input: { tenantId: $tenant, username: "new.user", email: "not-an-email", displayName: "New" }) { id } }`, {
      tenant: tenant?.id,
    }, asAdmin());
    assertError(result, 'BAD_USER_INPUT', 'users');
    assert.equal(result.errors?.[0]?.extensions?.['field'], 'email');
    assert.deepEqual(await totals(), before);
  });

  test('a `first` below 1 is BAD_USER_INPUT from the subgraph; above the page limit the gateway refuses it first', async () => {
    for (const first of [0, -1]) {
      assertError(await graphql(gateway(), `{ users(first: ${first}) { totalCount } }`, {}, asAdmin()), 'BAD_USER_INPUT', 'users');
      assertError(await graphql(gateway(), `{ devices(first: ${first}) { totalCount } }`, {}, asAdmin()), 'BAD_USER_INPUT', 'devices');
    }
    assertError(await graphql(gateway(), '{ devices(first: 101) { totalCount } }', {}, asAdmin()), 'QUERY_TOO_COMPLEX', 'gateway');
  });

  test('a malformed id is BAD_USER_INPUT', async () => {
    assertError(await graphql(gateway(), `{ device(id: "12345") { id } }`, {}, asAdmin()), 'BAD_USER_INPUT', 'devices');
    assertError(await graphql(gateway(), `{ user(id: "' or 1=1 --") { id } }`, {}, asAdmin()), 'BAD_USER_INPUT', 'users');
    const before = await totals();
    const plan = dataset.billing.plans[0];
    assertError(await graphql(gateway(), `mutation($plan: ID!) { createOrder(input: { userId: "nope", planId: $plan }) { id } }`, { plan: plan?.id }, asAdmin()), 'BAD_USER_INPUT', 'billing');
    assert.deepEqual(await totals(), before);
  });

  test('a NUL character in text is BAD_USER_INPUT naming the variable, in a filter and in a write', async () => {
    const filtered = await graphql(gateway(), 'query($owner: String) { devices(filter: { owner: $owner }) { totalCount } }', { owner: 'ada\u0000' }, asAdmin());
    assertError(filtered, 'BAD_USER_INPUT', 'devices');
    assert.equal(filtered.errors?.[0]?.extensions?.['field'], '$owner');
    const before = await totals();
    const tenant = dataset.users.tenants[0];
    const created = await graphql(gateway(), 'mutation($input: CreateUserInput!) { createUser(input: $input) { id } }', {
      input: { tenantId: tenant?.id, username: 'nul.user', email: 'nul.user@example.com', displayName: 'Nul\u0000Name' },
    }, asAdmin());
    assertError(created, 'BAD_USER_INPUT', 'users');
    assert.equal(created.errors?.[0]?.extensions?.['field'], '$input.displayName');
    // Written into the document itself rather than passed as a variable.
    assertError(await graphql(gateway(), '{ devices(filter: { owner: "ada\\u0000" }) { totalCount } }', {}, asAdmin()), 'BAD_USER_INPUT', 'devices');
    assert.deepEqual(await totals(), before);
  });

  test('an unreadable cursor is BAD_USER_INPUT', async () => {
    assertError(await graphql(gateway(), `{ users(after: "garbage") { totalCount } }`, {}, asAdmin()), 'BAD_USER_INPUT', 'users');
  });
});
