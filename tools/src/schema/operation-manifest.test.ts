import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { buildOperationManifest } from './operation-manifest.js';

const FILE = {
  file: 'schema/operations/user-card.graphql',
  source: '# a comment\nquery UserCard($id: ID!) { user(id: $id) { name devices { name } } }\nmutation Rename($name: String!) { rename(name: $name) { id } }\n',
};

test('each operation of a file is one manifest entry, as Apollo Client sends it (__typename added), its id the sha256 of the body', async () => {
  const manifest = JSON.parse(await buildOperationManifest([FILE])) as { format: string; version: number; operations: { id: string; name: string; type: string; body: string }[] };
  assert.equal(manifest.format, 'apollo-persisted-query-manifest');
  assert.equal(manifest.version, 1);
  assert.deepEqual(
    manifest.operations.map(({ name, type, body }) => ({ name, type, body })),
    [
      { name: 'Rename', type: 'mutation', body: 'mutation Rename($name: String!) {\n  rename(name: $name) {\n    id\n    __typename\n  }\n}' },
      { name: 'UserCard', type: 'query', body: 'query UserCard($id: ID!) {\n  user(id: $id) {\n    name\n    devices {\n      name\n      __typename\n    }\n    __typename\n  }\n}' },
    ],
  );
  for (const operation of manifest.operations) assert.equal(operation.id, createHash('sha256').update(operation.body).digest('hex'));
});
