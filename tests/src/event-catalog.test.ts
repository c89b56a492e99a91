import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { EVENT_CATALOG, ROUTING_KEYS, currentVersion, payloadSchema } from '@cloudphone/events';
import { loadSubgraphs, repoPath } from '@cloudphone/tools';

test('every routing key a subgraph consumes is published by some subgraph', async () => {
  const subgraphs = await loadSubgraphs();
  const published = new Set(subgraphs.flatMap((subgraph) => subgraph.definition.events.publishes));
  for (const subgraph of subgraphs) {
    for (const key of subgraph.definition.events.consumes) assert.ok(published.has(key), `${subgraph.name} consumes ${key}, which no subgraph publishes`);
  }
});

test("every key a subgraph declares it publishes is written to its outbox by the subgraph's code", async () => {
  for (const subgraph of await loadSubgraphs()) {
    const root = repoPath('subgraphs', subgraph.name, 'src');
    const files = (await readdir(root, { recursive: true })).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    const written = new Set<string>();
    for (const file of files) {
      const source = await readFile(path.join(root, file), 'utf8');
      if (!source.includes('outbox.append')) continue;
      for (const key of ROUTING_KEYS) if (source.includes(`'${key}'`)) written.add(key);
    }
    for (const key of subgraph.definition.events.publishes) assert.ok(written.has(key), `${subgraph.name} declares ${key} but never appends it to its outbox`);
  }
});

test('every event of the catalog has a schema for its current payload version', () => {
  for (const key of ROUTING_KEYS) assert.ok(payloadSchema(key, currentVersion(key)), key);
  assert.deepEqual(Object.keys(EVENT_CATALOG).sort(), [...ROUTING_KEYS].sort());
});
