import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { graphql } from '@cloudphone/testing';
import { buildDemoDataset } from '@cloudphone/tools';
import { NESTED_QUERY, expectedNestedResult } from './support/nested-query.js';
import { type DatabaseKind, type TestStack, startTestStack } from './support/stack.js';

const FIXTURE = new URL('../fixtures/nested-query.first-2-users.json', import.meta.url);
const dataset = buildDemoDataset();

for (const kind of ['postgres', 'pglite'] satisfies DatabaseKind[]) {
  describe(`the nested query on ${kind}`, () => {
    let stack: TestStack | undefined;
    before(async () => {
      stack = await startTestStack(kind, { ...dataset });
    });
    after(async () => {
      await stack?.close();
    });

    test('returns exactly the seeded relations of the first 2 users (committed JSON)', async (context) => {
      if (!stack) return context.skip('no PostgreSQL (set TEST_POSTGRES_URL)');
      const result = await graphql(stack.gatewayUrl, NESTED_QUERY, { first: 2 }, stack.admin.headers);
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      const fixture: unknown = JSON.parse(await readFile(FIXTURE, 'utf8'));
      assert.deepEqual(result.data, fixture);
    });

    test('returns users, devices, installs and orders exactly as seeded for 10 users', async (context) => {
      if (!stack) return context.skip('no PostgreSQL (set TEST_POSTGRES_URL)');
      const result = await graphql(stack.gatewayUrl, NESTED_QUERY, { first: 10 }, stack.admin.headers);
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      assert.deepEqual(result.data, expectedNestedResult(dataset, 10));
    });
  });
}

test('the committed JSON is what the seed implies', async () => {
  const fixture: unknown = JSON.parse(await readFile(FIXTURE, 'utf8'));
  assert.deepEqual(fixture, JSON.parse(JSON.stringify(expectedNestedResult(dataset, 2))));
});
