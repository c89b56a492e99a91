import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { readRoverConfig, repoPath } from '@cloudphone/tools';
import { parse } from 'yaml';

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: string[] | Record<string, unknown>;
}

async function compose(): Promise<{ services: Record<string, ComposeService> }> {
  return parse(await readFile(repoPath('docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
}

test('every subgraph of rover.yaml runs in docker-compose with its database, port and peers', async () => {
  const { services } = await compose();
  const { subgraphs } = await readRoverConfig();
  for (const { name, routingUrl } of subgraphs) {
    const service = services[name];
    assert.ok(service, `docker-compose.yml has no ${name} service`);
    const upper = name.toUpperCase();
    assert.deepEqual(service.command, ['node', `subgraphs/${name}/dist/main.js`]);
    assert.match(service.environment?.[`${upper}_DATABASE_URL`] ?? '', new RegExp(`^postgres://.+@postgres:5432/cloudphone_${name}$`));
    assert.equal(service.environment?.[`${upper}_PORT`], new URL(routingUrl).port);
  }
});

test('the gateway reaches every subgraph of rover.yaml by its compose service', async () => {
  const { services } = await compose();
  const { subgraphs } = await readRoverConfig();
  const gateway = services['gateway'];
  assert.ok(gateway);
  for (const { name, routingUrl } of subgraphs) {
    assert.equal(gateway.environment?.[`${name.toUpperCase()}_SUBGRAPH_URL`], `http://${name}:${new URL(routingUrl).port}/graphql`);
  }
});

test('every peer URL a subgraph needs points at that peer service', async () => {
  const { services } = await compose();
  const { subgraphs } = await readRoverConfig();
  for (const { name } of subgraphs) {
    for (const [variable, value] of Object.entries(services[name]?.environment ?? {})) {
      const peer = /^([A-Z]+)_SUBGRAPH_URL$/.exec(variable)?.[1]?.toLowerCase();
      if (peer) assert.ok(services[peer] && value.startsWith(`http://${peer}:`), `${name}: ${variable}=${value}`);
    }
  }
});

test('the postgres init script creates one database per subgraph', async () => {
  const script = await readFile(repoPath('deploy', 'postgres-init.sh'), 'utf8');
  const { subgraphs } = await readRoverConfig();
  const listed = /for name in ([a-z ]+); do/.exec(script)?.[1]?.split(' ') ?? [];
  assert.deepEqual(listed.sort(), subgraphs.map((subgraph) => subgraph.name).sort());
});

test('the gateway and every subgraph run in production mode with the one shared internal secret, users with its signing key, billing with the payment provider secret', async () => {
  const { services } = await compose();
  const { subgraphs } = await readRoverConfig();
  for (const name of ['gateway', ...subgraphs.map((subgraph) => subgraph.name)]) {
    const environment = services[name]?.environment ?? {};
    assert.equal(environment['NODE_ENV'], 'production', name);
    assert.match(environment['INTERNAL_AUTH_SECRET'] ?? '', /^\$\{INTERNAL_AUTH_SECRET:\?/, `${name} takes the shared secret from the deployment, never a default`);
  }
  assert.match(services['users']?.environment?.['AUTH_SIGNING_KEY'] ?? '', /^\$\{AUTH_SIGNING_KEY:\?/);
  assert.match(services['billing']?.environment?.['PAYMENT_PROVIDER_SECRET'] ?? '', /^\$\{PAYMENT_PROVIDER_SECRET:\?/);
});
