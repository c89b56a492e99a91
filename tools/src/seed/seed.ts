import { loadQuotaDefaults } from '@cloudphone/users-subgraph/config';
import { SEED_USAGE, type SeedConfig, loadSeedConfig } from '../config.js';
import { readRoverConfig } from '../rover-config.js';
import { loadSubgraphs } from '../subgraph-registry.js';
import { type GeneratedChunk, bulkDataset } from './bulk-dataset.js';
import { bulkLoad } from './bulk-load.js';
import { buildDemoDataset } from './dataset.js';
import { ProgressBar, formatDuration, numberFormat } from './progress.js';

// `npm run seed -- --scale demo|small|large`: a dataset into every subgraph's PostgreSQL database, with COPY.
const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(SEED_USAGE);
  process.exit(0);
}
const names = (await readRoverConfig()).subgraphs.map((subgraph) => subgraph.name);
let config: SeedConfig;
try {
  config = loadSeedConfig(names, argv);
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${SEED_USAGE}`);
  process.exit(2);
}
const { size } = config;
const subgraphs = await loadSubgraphs();
const heartbeatAt = new Date();
const chunks: Iterable<GeneratedChunk> =
  config.scale === 'demo'
    ? [{ rows: buildDemoDataset(size, config.seed, heartbeatAt), usersDone: size.users }]
    : bulkDataset(size, { seed: config.seed, heartbeatAt, quotaDefaults: loadQuotaDefaults() });

console.log(
  `seeding the ${config.scale} dataset (${numberFormat.format(size.tenants)} tenants, ${numberFormat.format(size.users)} users, ${numberFormat.format(size.devices)} devices, ` +
    `${numberFormat.format(size.orders)} orders, ${numberFormat.format(size.applications)} applications; seed ${config.seed}) into:`,
);
for (const name of names) {
  const url = new URL(config.urls[name] ?? '');
  console.log(`  ${name.padEnd(14)} ${url.host}${url.pathname}`);
}

const bar = new ProgressBar(process.stdout, size.users, 'users');
try {
  const report = await bulkLoad(subgraphs, chunks, {
    urls: config.urls,
    replace: config.replace,
    onChunk: (usersDone, rows) => {
      bar.update(usersDone, rows);
      if (usersDone === size.users) {
        bar.done();
        console.log('rows copied; deriving rows, building indexes, analyzing...');
      }
    },
    onLoaded: (name, timings) =>
      console.log(`  ${name.padEnd(14)} indexes and derived rows ${formatDuration(timings.finishMs)}, analyze ${formatDuration(timings.analyzeMs)}`),
  });
  console.log(`\nloaded in ${formatDuration(report.seconds * 1000)}:`);
  for (const name of names) {
    const tables = Object.entries(report.rows[name] ?? {}).map(([table, rows]) => `${table} ${numberFormat.format(rows)}`);
    console.log(`  ${name.padEnd(14)} ${((report.bytes[name] ?? 0) / 1_048_576).toFixed(0).padStart(6)} MB  ${tables.join(', ')}`);
  }
} catch (error) {
  console.error(`\nseed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
