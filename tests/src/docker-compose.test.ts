import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { BlockList } from 'node:net';
import { test } from 'node:test';
import { loadConsoleConfig, readRoverConfig, repoPath } from '@cloudphone/tools';
import { parse } from 'yaml';

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: string[] | Record<string, unknown>;
  networks?: Record<string, { ipv4_address?: string }>;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  networks?: Record<string, { ipam?: { config?: { subnet?: string }[] } }>;
}

async function compose(): Promise<ComposeFile> {
  return parse(await readFile(repoPath('docker-compose.yml'), 'utf8')) as ComposeFile;
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

test('the web console runs on its own, in front of the gateway, which believes x-forwarded-for from the console alone', async () => {
  const file = await compose();
  const webConsole = file.services['console'];
  assert.ok(webConsole, 'docker-compose has a console service');
  const entry = webConsole.command?.at(-1) ?? '';
  assert.deepEqual(webConsole.command, ['node', 'tools/dist/console-main.js']);
  assert.ok(existsSync(repoPath(entry)), `${entry} is built`);
  const config = loadConsoleConfig(webConsole.environment ?? {});
  const gatewayPort = file.services['gateway']?.environment?.['GATEWAY_PORT'];
  assert.equal(config.gatewayUrl, `http://gateway:${gatewayPort}/graphql`);
  const address = webConsole.networks?.['default']?.ipv4_address;
  assert.ok(address, 'the console has a fixed address');
  const subnet = file.networks?.['default']?.ipam?.config?.[0]?.subnet ?? '';
  assert.ok(inSubnet(address, subnet), `${address} lies in ${subnet}`);
  assert.equal(file.services['gateway']?.environment?.['TRUST_PROXY'], address, 'the gateway trusts exactly the console');
});

function inSubnet(address: string, subnet: string): boolean {
  const [network, bits] = subnet.split('/');
  const list = new BlockList();
  list.addSubnet(network ?? '', Number(bits));
  return list.check(address);
}
