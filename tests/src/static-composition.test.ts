import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { loadGatewayConfig, startGateway } from '@cloudphone/gateway';
import { graphql } from '@cloudphone/testing';
import { readRoverConfig, repoPath } from '@cloudphone/tools';
import { startTestStack } from './support/stack.js';

const SECRET = 'a test secret of at least thirty-two bytes';

async function unreachableSubgraphUrls(): Promise<Record<string, string>> {
  const { subgraphs } = await readRoverConfig();
  // Port 9 (discard) has no listener here: every subgraph is unreachable.
  return Object.fromEntries(subgraphs.map((subgraph) => [`${subgraph.name.toUpperCase()}_SUBGRAPH_URL`, 'http://127.0.0.1:9/graphql']));
}

test('by default the gateway composes from the committed supergraph: it starts with every subgraph unreachable', async () => {
  const gateway = await startGateway(loadGatewayConfig({ GATEWAY_PORT: '0', HOST: '127.0.0.1', SUBGRAPH_RETRIES: '0', INTERNAL_AUTH_SECRET: SECRET, ...(await unreachableSubgraphUrls()) }));
  try {
    const result = await graphql(gateway.url, '{ users(first: 1) { totalCount } }');
    assert.equal(result.errors?.[0]?.extensions?.code, 'SERVICE_UNAVAILABLE');
    assert.equal(result.errors?.[0]?.extensions?.service, 'users');
  } finally {
    await gateway.close();
  }
});

test('introspection composition happens only behind GATEWAY_DEV_INTROSPECTION: with it, unreachable subgraphs stop the start', async () => {
  await assert.rejects(
    startGateway(loadGatewayConfig({ GATEWAY_PORT: '0', HOST: '127.0.0.1', GATEWAY_DEV_INTROSPECTION: 'true', INTERNAL_AUTH_SECRET: SECRET, ...(await unreachableSubgraphUrls()) })),
  );
});

test('with the development flag the gateway composes from live subgraphs', async () => {
  const stack = await startTestStack('pglite', null, { GATEWAY_DEV_INTROSPECTION: 'true' });
  assert.ok(stack);
  try {
    const result = await graphql<{ users: { totalCount: number }; devices: { totalCount: number } }>(stack.gatewayUrl, '{ users { totalCount } devices { totalCount } }', {}, stack.admin.headers);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    // The one user is the administrator the test signed in as.
    assert.deepEqual(result.data, { users: { totalCount: 1 }, devices: { totalCount: 0 } });
  } finally {
    await stack.close();
  }
});

test('no code outside the gateway factory names IntrospectAndCompose', async () => {
  const offenders: string[] = [];
  for (const root of ['gateway/src', 'tools/src', 'packages', 'subgraphs']) {
    const files = (await readdir(repoPath(root), { recursive: true })).filter((file) => file.endsWith('.ts') && !file.includes('node_modules') && !file.includes('dist'));
    for (const file of files) {
      const full = path.join(repoPath(root), file);
      if ((await readFile(full, 'utf8')).includes('IntrospectAndCompose') && full !== repoPath('gateway/src/gateway.ts')) offenders.push(full);
    }
  }
  assert.deepEqual(offenders, []);
  const factory = await readFile(repoPath('gateway/src/gateway.ts'), 'utf8');
  const uses = [...factory.matchAll(/new IntrospectAndCompose/g)].map((match) => match.index ?? 0);
  assert.equal(uses.length, 1);
  const guard = factory.lastIndexOf('if (', uses[0]);
  assert.ok(factory.startsWith('if (config.devIntrospection)', guard), 'IntrospectAndCompose is used only when devIntrospection is set');
});
