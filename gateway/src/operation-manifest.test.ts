import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadOperationManifest, sha256Hex } from './operation-manifest.js';
import { ManifestPersistedQueries } from './persisted-queries.js';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';

const BODY = 'query Viewer {\n  me {\n    id\n    __typename\n  }\n}';

async function withManifest(content: unknown, check: (file: string) => Promise<void>): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), 'manifest-'));
  try {
    const file = path.join(folder, 'manifest.json');
    await writeFile(file, JSON.stringify(content));
    await check(file);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

test('a manifest loads when it is Apollo\'s format and every id is the sha256 of its body; otherwise the gateway does not start', async () => {
  const operation = { id: sha256Hex(BODY), name: 'Viewer', type: 'query', body: BODY };
  await withManifest({ format: 'apollo-persisted-query-manifest', version: 1, operations: [operation] }, async (file) => {
    assert.deepEqual(await loadOperationManifest(file), [operation]);
  });
  await withManifest({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ ...operation, body: `${BODY} ` }] }, async (file) => {
    await assert.rejects(loadOperationManifest(file), /Viewer's id is not the sha256 of its body/);
  });
  await withManifest({ version: 1, operations: [operation] }, async (file) => {
    await assert.rejects(loadOperationManifest(file), /not an Apollo persisted query manifest/);
  });
  await assert.rejects(loadOperationManifest('/nonexistent/manifest.json'), /operation manifest \/nonexistent\/manifest.json/);
});

test('APQ knows a manifest hash before any registration, with or without Apollo Server\'s prefix; other hashes are registered as before', async () => {
  const registered = new InMemoryLRUCache<string>();
  const store = new ManifestPersistedQueries([{ id: sha256Hex(BODY), body: BODY }], registered);
  assert.equal(await store.get(`apq:${sha256Hex(BODY)}`), BODY);
  assert.equal(await store.get(sha256Hex(BODY)), BODY);
  await store.set(`apq:${sha256Hex(BODY)}`, BODY);
  assert.deepEqual(registered.keys(), [], 'a manifest operation is not written to the shared store');
  assert.equal(await store.get('apq:other'), undefined);
  await store.set('apq:other', '{ other }');
  assert.equal(await store.get('apq:other'), '{ other }');
});
