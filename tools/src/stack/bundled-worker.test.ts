import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSubgraphs } from '../subgraph-registry.js';
import { printSubgraphInThread } from './subgraph-thread.js';
import { PLAIN_WORKER, WORKER_BUNDLES_DIR, currentBundle, workerFileFor } from './worker-bundles.js';

// The bundles are what stacks run; the plain worker is what the sources say. Printing builds each subgraph's whole
// Nest application and schema, so equal SDL from both shows the bundle runs the same code.
test('every subgraph bundle is current after the build and prints the same SDL as the plain worker', async () => {
  for (const subgraph of await loadSubgraphs()) {
    assert.ok(currentBundle(WORKER_BUNDLES_DIR, subgraph.name), `${subgraph.name}: npm run build made a current bundle`);
    const loader = workerFileFor(subgraph.name);
    assert.notEqual(loader.href, PLAIN_WORKER.href);
    const peers = [...subgraph.definition.peers];
    const [bundled, plain] = [await printSubgraphInThread(subgraph.name, peers, loader), await printSubgraphInThread(subgraph.name, peers, PLAIN_WORKER)];
    assert.equal(bundled, plain, `${subgraph.name}: the bundle prints what the plain worker prints`);
  }
});
