import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type GraphQLResult, graphql } from '@cloudphone/testing';
import { buildDemoDataset } from '@cloudphone/tools';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

let stack: TestStack | undefined;

before(async () => {
  stack = await startTestStack(await preferredKind(), { ...buildDemoDataset() }, { SUBGRAPH_TIMEOUT_MS: '2000', SUBGRAPH_RETRIES: '1' });
});
after(async () => {
  await stack?.close();
});

const QUERY = `{ users(first: 3) { edges { node { username devices(first: 1) { totalCount } orders(first: 1) { totalCount } } } } }`;

interface Result {
  users: { edges: { node: { username: string; devices: { totalCount: number } | null; orders: { totalCount: number } | null } }[] };
}

test('with billing stopped, the gateway answers with the other subgraphs data and an error naming billing', async () => {
  assert.ok(stack);
  const healthy = await graphql<Result>(stack.gatewayUrl, QUERY, {}, stack.admin.headers);
  assert.equal(healthy.errors, undefined, JSON.stringify(healthy.errors));

  await stack.stopSubgraph('billing');
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const result: GraphQLResult<Result> = await graphql<Result>(stack.gatewayUrl, QUERY, {}, stack.admin.headers);
    assert.equal(result.status, 200);
    const users = result.data?.users.edges.map((edge) => edge.node);
    assert.equal(users?.length, 3, 'users still come from the users subgraph');
    assert.deepEqual(
      users?.map((user) => user.devices?.totalCount),
      healthy.data?.users.edges.map((edge) => edge.node.devices?.totalCount),
      'devices still come from the devices subgraph',
    );
    for (const user of users ?? []) assert.equal(user.orders, null);
    const billingErrors = (result.errors ?? []).filter((error) => error.extensions?.service === 'billing');
    assert.ok(billingErrors.length > 0, JSON.stringify(result.errors));
    for (const error of billingErrors) {
      assert.equal(error.extensions?.code, 'SERVICE_UNAVAILABLE');
      assert.equal(error.extensions?.retryable, true);
      assert.match(error.message, /billing/);
    }
  }

  const stillServing = await graphql<{ devices: { totalCount: number } }>(stack.gatewayUrl, '{ devices { totalCount } }', {}, stack.admin.headers);
  assert.equal(stillServing.errors, undefined);
  assert.equal(stillServing.data?.devices.totalCount, 200);
});
