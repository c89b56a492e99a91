import { developmentSecretFile, resolveInternalSecret } from '@cloudphone/identity';
import { loadConsistencyConfig } from '../config.js';
import { loginHeaders, serviceHeaders } from '../operator-auth.js';
import { readRoverConfig } from '../rover-config.js';
import { checkConsistency } from './consistency.js';

// `npm run consistency:check`: lists every copy that differs from its source; exit 1 on drift.
const rover = await readRoverConfig();
const config = loadConsistencyConfig(Object.fromEntries(rover.subgraphs.map((subgraph) => [subgraph.name, subgraph.routingUrl])));
const report = await checkConsistency({
  ...config,
  gatewayHeaders: config.accessToken ? { authorization: `Bearer ${config.accessToken}` } : await loginHeaders(config.gatewayUrl, config.adminEmail, config.adminPassword),
  subgraphHeaders: await serviceHeaders(await resolveInternalSecret({ secret: config.internalSecret, developmentFile: developmentSecretFile(config.dataDir) }), 'consistency-check'),
});
for (const mismatch of report.mismatches) {
  console.log(`${mismatch.copy} ${mismatch.id} ${mismatch.field}: source ${JSON.stringify(mismatch.expected)}, copy ${JSON.stringify(mismatch.actual)}`);
}
console.log(`checked ${report.checked.devices} device, ${report.checked.orders} order and ${report.checked.nodes} node copies and ${report.checked.placements} placements: ${report.mismatches.length} mismatch(es)`);
process.exit(report.mismatches.length === 0 ? 0 : 1);
