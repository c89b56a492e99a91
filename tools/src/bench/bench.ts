import { parseArgs } from 'node:util';
import { writeSection } from './results-file.js';
import { benchEventLag } from './event-lag.js';
import { benchSubscriptions } from './subscriptions.js';

// `npm run bench [-- <name>...] [options]`: runs the benchmarks and rewrites their sections of BENCHMARKS.md.
// The options size the subscriptions benchmark: --events N (timed changes), --subscribers N, --fanout-events N,
// --client-processes N, --gateway-heap-mib N (--max-old-space-size of the gateway process).
const { values, positionals: wanted } = parseArgs({
  allowPositionals: true,
  options: {
    events: { type: 'string' },
    subscribers: { type: 'string' },
    'fanout-events': { type: 'string' },
    'client-processes': { type: 'string' },
    'gateway-heap-mib': { type: 'string' },
  },
});

function count(name: keyof typeof values, fallback: number): number {
  const text = values[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a positive whole number, not ${text}`);
  return value;
}

const gatewayHeapMib = values['gateway-heap-mib'] === undefined ? undefined : count('gateway-heap-mib', 0);
const BENCHMARKS: Record<string, { title: string; run: () => Promise<string> }> = {
  'event-lag': { title: 'Event lag (user.updated -> devices owner copy)', run: () => benchEventLag() },
  subscriptions: {
    // A capped gateway heap is a different setup: its own section, so both stay on record.
    title: `Subscriptions (deviceStatusChanged through the gateway${gatewayHeapMib === undefined ? '' : `, gateway heap capped at ${gatewayHeapMib} MiB`})`,
    run: () =>
      benchSubscriptions({
        events: count('events', 1_000),
        subscribers: count('subscribers', 10_000),
        fanOutEvents: count('fanout-events', 10),
        clientProcesses: count('client-processes', 4),
        gatewayHeapMib,
      }),
  },
};

const unknown = wanted.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
for (const [name, benchmark] of Object.entries(BENCHMARKS)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`running ${name}...`);
  const section = await benchmark.run();
  await writeSection(benchmark.title, section);
  console.log(section);
}
