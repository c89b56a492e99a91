import { resolveDatabaseTarget } from '@cloudphone/db';
import { reloadOnHangup } from '@cloudphone/gateway';
import { developmentSecretFile, resolveInternalSecret } from '@cloudphone/identity';
import { loadLauncherConfig } from './config.js';
import { repoPath } from './paths.js';
import { readRoverConfig } from './rover-config.js';
import { DEMO_ADMIN, buildDemoDataset } from './seed/dataset.js';
import { startConsoleServer } from './stack/console-server.js';
import { NODE_AGENT_INTERVAL_MS, startNodeAgents } from './stack/node-agents.js';
import { startStack } from './stack/stack.js';

// `npm start`: every subgraph and the gateway on this machine. Embedded PGlite under DATA_DIR
// unless <SUBGRAPH>_DATABASE_URL is set; demo data on first start.
const startedAt = Date.now();
const names = (await readRoverConfig()).subgraphs.map((subgraph) => subgraph.name);
const config = loadLauncherConfig(names);
const databases = Object.fromEntries(names.map((name) => [name, resolveDatabaseTarget(name, config.databaseUrls[name], config.dataDir)]));
const embedded = names.filter((name) => databases[name]?.kind === 'pglite');
console.log(
  embedded.length > 0 ? `starting ${names.length} subgraphs (embedded PostgreSQL under ${config.dataDir}) and the gateway...` : `starting ${names.length} subgraphs on PostgreSQL and the gateway...`,
);

const stack = await startStack({
  databases,
  ports: { kind: 'routing', gateway: config.gatewayPort },
  host: config.host,
  seed: config.seed === 'demo' ? { ...buildDemoDataset() } : null,
  verbose: config.verbose,
  events: { amqpUrl: config.amqpUrl, namespace: 'cloudphone' },
  redisUrl: config.redisUrl,
  tracesUrl: config.tracesUrl,
  internalSecret: await resolveInternalSecret({ secret: config.internalAuthSecret, developmentFile: developmentSecretFile(config.dataDir) }),
  // The console server on this machine passes browsers' requests on: the gateway limits each by the address it names.
  gatewayEnv: { TRUST_PROXY: 'loopback' },
});
// The demo has no real hosts: simulated agents call in for every node, so the health sweep keeps them ONLINE.
const devicesUrl = config.nodeAgents === 'simulated' ? stack.subgraphUrls['devices'] : undefined;
const agents = devicesUrl ? startNodeAgents({ devicesUrl, internalSecret: stack.internalSecret }) : null;
const webConsole = await startConsoleServer({ root: repoPath('web', 'dist'), gatewayUrl: stack.gatewayUrl, host: config.host, port: config.consolePort }).catch(async (error: unknown) => {
  await agents?.stop();
  await stack.close();
  throw error;
});
const seeded = [...stack.subgraphs.values()].filter((thread) => thread.seeded).map((thread) => thread.name);
console.log(`
Cloudphone supergraph ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${stack.gatewayUrl}
Web console: ${webConsole.url} (sign in as ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password})
${seeded.length > 0 ? `demo data loaded into: ${seeded.join(', ')}\n` : ''}${agents ? `simulated node agents: a heartbeat for every node every ${NODE_AGENT_INTERVAL_MS / 1000} s\n` : ''}
Try it, as the demo data's administrator:
  TOKEN=$(curl -s ${stack.gatewayUrl} -H 'content-type: application/json' \\
    -d '{"query":"mutation { login(input: { email: \\"${DEMO_ADMIN.email}\\", password: \\"${DEMO_ADMIN.password}\\" }) { accessToken } }"}' \\
    | sed -E 's/.*"accessToken":"([^"]+)".*/\\1/')
  curl -s ${stack.gatewayUrl} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\
    -d '{"query":"{ users(first: 2) { totalCount edges { node { displayName email devices(first: 2) { totalCount edges { node { name status applications { status application { name } } } } } orders(first: 1) { edges { node { amount currency status plan { name } } } } } } } }"}'

Ctrl-C stops everything; data stays in ${config.dataDir} (npm run reset wipes it).`);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping...');
  await agents?.stop();
  await webConsole.close();
  await stack.close();
  console.log('stopped');
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
reloadOnHangup(stack.gateway);
