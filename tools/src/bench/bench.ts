import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { BENCHMARKS_FILE, writeSection } from './results-file.js';
import { benchEventLag } from './event-lag.js';
import { benchSubscriptions } from './subscriptions.js';
import { PAGES_BENCH_SIZE, type PagesBenchOptions, benchPages } from './pages/pages.js';
import { pageSection } from './pages/pages-report.js';
import { DEMO_SIZE } from '../seed/dataset.js';

// `npm run bench [-- <name>...] [options]`: runs the benchmarks and rewrites their sections of BENCHMARKS.md.
// The options size the subscriptions benchmark: --events N (timed changes), --subscribers N, --fanout-events N,
// --client-processes N, --gateway-heap-mib N (--max-old-space-size of the gateway process).
// The pages benchmark: --page a,b (which pages of DOMAIN.md; default all: device-list, user-list, order-list,
// dashboard, device-detail), --duration S (seconds per measurement), --data generated|large (the databases
// `npm run seed -- --scale large` loaded), --short (CI: demo-sized data, 2 requests per connection, at least 30), --gateway-workers N
// (our gateway's GATEWAY_WORKERS; default one per core).
// --output FILE writes the sections there instead of BENCHMARKS.md; --json FILE also writes the pages figures as JSON.
const { values, positionals: wanted } = parseArgs({
  allowPositionals: true,
  options: {
    events: { type: 'string' },
    subscribers: { type: 'string' },
    'fanout-events': { type: 'string' },
    'client-processes': { type: 'string' },
    'gateway-heap-mib': { type: 'string' },
    duration: { type: 'string' },
    data: { type: 'string' },
    page: { type: 'string' },
    short: { type: 'boolean', default: false },
    output: { type: 'string' },
    json: { type: 'string' },
    'gateway-workers': { type: 'string' },
  },
});

function count(name: keyof typeof values, fallback: number): number {
  const text = values[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a positive whole number, not ${String(text)}`);
  return value;
}

/** The databases `npm run seed -- --scale large` loads. */
const LARGE_DATABASE_PREFIX = 'cloudphone_large_';

function pagesOptions(): PagesBenchOptions {
  if (values.data !== undefined && values.data !== 'generated' && values.data !== 'large') throw new Error(`--data takes generated or large, not ${values.data}`);
  const short = values.short === true;
  const seconds = values.duration === undefined ? undefined : count('duration', 15);
  return {
    data: values.data === 'large' ? { kind: 'existing', databasePrefix: LARGE_DATABASE_PREFIX } : { kind: 'generated', size: short ? DEMO_SIZE : PAGES_BENCH_SIZE },
    pages: values.page === undefined ? [] : values.page.split(',').map((name) => name.trim()),
    pageSize: 20,
    connections: [1, 50],
    // Short: a fixed amount of work per connection (a slow page still answers at concurrency 50), unless --duration.
    measure: seconds !== undefined ? { seconds } : short ? { requestsPerConnection: 2, atLeast: 30 } : { seconds: 15 },
    warmup: seconds !== undefined ? { seconds: Math.min(5, seconds) } : short ? { requestsPerConnection: 1, atLeast: 5 } : { seconds: 5 },
    statementPageSizes: [1, 20, 100],
    gatewayWorkers: count('gateway-workers', availableParallelism()),
  };
}

const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
const gatewayHeapMib = values['gateway-heap-mib'] === undefined ? undefined : count('gateway-heap-mib', 0);
/** A benchmark writes one section of BENCHMARKS.md, or several (the pages benchmark: one per page). */
interface Section {
  title: string;
  body: string;
}
const BENCHMARKS: Record<string, () => Promise<Section[]>> = {
  'event-lag': async () => [{ title: 'Event lag (user.updated -> devices owner copy)', body: await benchEventLag() }],
  subscriptions: async () => [
    {
      // A capped gateway heap is a different setup: its own section, so both stay on record.
      title: `Subscriptions (deviceStatusChanged through the gateway${gatewayHeapMib === undefined ? '' : `, gateway heap capped at ${gatewayHeapMib} MiB`})`,
      body: await benchSubscriptions({
        events: count('events', 1_000),
        subscribers: count('subscribers', 10_000),
        fanOutEvents: count('fanout-events', 10),
        clientProcesses: count('client-processes', 4),
        gatewayHeapMib,
      }),
    },
  ],
  pages: async () => {
    const report = await benchPages(pagesOptions());
    if (values.json !== undefined) await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
    // Each page and each data set is a setup of its own: its own section, so all stay on record.
    return report.pages.map((page) => ({
      title: `Pages: ${page.title} (ours vs Hive Gateway vs direct SQL${values.data === 'large' ? ', large seed' : ''})`,
      body: pageSection(report, page, command),
    }));
  },
};

const unknown = wanted.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
for (const [name, run] of Object.entries(BENCHMARKS)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`running ${name}...`);
  for (const section of await run()) {
    await writeSection(section.title, section.body, values.output ?? BENCHMARKS_FILE);
    console.log(`## ${section.title}\n\n${section.body}\n`);
  }
}
