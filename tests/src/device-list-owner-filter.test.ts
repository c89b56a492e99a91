import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { graphql } from '@cloudphone/testing';
import { buildDemoDataset } from '@cloudphone/tools';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

// An owner prefix sorted by owner is read through the prefix indexes and sorted (see orderByKeysetAfterFilter):
// its pages must come in exactly the order of the unfiltered list, every device once, across page boundaries.
const dataset = buildDemoDataset();
let stack: TestStack | undefined;

before(async () => {
  stack = await startTestStack(await preferredKind(), { ...dataset });
});
after(async () => {
  await stack?.close();
});

interface Listed {
  id: string;
  user: { displayName: string; email: string };
}

/** Every device of the list, page after page of `first`. */
async function wholeList(variables: Record<string, unknown>, first: number): Promise<Listed[]> {
  assert.ok(stack);
  const listed: Listed[] = [];
  let after: string | null = null;
  for (;;) {
    const result: Awaited<ReturnType<typeof graphql<{ devices: { edges: { node: Listed }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>>> = await graphql(
      stack.gatewayUrl,
      'query($first: Int, $after: String, $owner: String, $orderBy: DeviceOrder) { devices(first: $first, after: $after, filter: { owner: $owner }, orderBy: $orderBy) { edges { node { id user { displayName email } } } pageInfo { hasNextPage endCursor } } }',
      { ...variables, first, after },
      stack.admin.headers,
    );
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    const page = result.data?.devices;
    assert.ok(page);
    listed.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return listed;
    after = page.pageInfo.endCursor;
  }
}

/** A prefix several owners share, by name or by e-mail. */
function sharedPrefix(): string {
  const counts = new Map<string, number>();
  for (const user of dataset.users.users) for (const text of [user.displayName, user.email]) counts.set(text.slice(0, 2).toLowerCase(), (counts.get(text.slice(0, 2).toLowerCase()) ?? 0) + 1);
  const [prefix] = [...counts].filter(([, count]) => count >= 3).sort((a, b) => b[1] - a[1])[0] ?? [];
  assert.ok(prefix, 'the demo owners share a two-letter prefix');
  return prefix;
}

for (const field of ['OWNER_NAME', 'OWNER_EMAIL'] as const) {
  for (const direction of ['ASC', 'DESC'] as const) {
    test(`an owner prefix sorted by ${field} ${direction} pages in the unfiltered list's order`, async () => {
      const prefix = sharedPrefix();
      const orderBy = { field, direction };
      const unfiltered = await wholeList({ orderBy }, 100);
      const expected = unfiltered.filter((device) => device.user.displayName.toLowerCase().startsWith(prefix) || device.user.email.toLowerCase().startsWith(prefix)).map((device) => device.id);
      assert.ok(expected.length > 7, `the prefix ${prefix} matches more than one page of devices`);
      const filtered = await wholeList({ orderBy, owner: prefix }, 7);
      assert.deepEqual(filtered.map((device) => device.id), expected);
    });
  }
}
