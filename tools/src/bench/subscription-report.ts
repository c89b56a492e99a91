import { machineLine, percentile } from './results-file.js';
import type { FanOutResult } from './subscription-fanout.js';
import type { LatencyResult } from './subscription-latency.js';
import type { SubscriptionBenchOptions } from './subscriptions.js';

const LATENCY_TARGET_MS = 50;
const MEMORY_TARGET_BYTES = 2 ** 30;
const TARGET_SUBSCRIBERS = 10_000;

const ms = (value: number) => `${value.toFixed(1)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function quantiles(values: readonly number[]): { p50: number; p95: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

function row(label: string, values: readonly number[], target = ''): string {
  const { p50, p95, p99, max } = quantiles(values);
  return `| ${label} | ${ms(p50)} | ${ms(p95)} | ${ms(p99)} | ${ms(max)} | ${target} |`;
}

function latencyTable(latency: LatencyResult): string {
  const p99 = quantiles(latency.answeredToEvent).p99;
  const early = latency.answeredToEvent.filter((value) => value < 0).length;
  return `| measure | p50 | p95 | p99 | max | target p99 |
|---|---|---|---|---|---|
${row('**mutation answered -> event at the client** (event path)', latency.answeredToEvent, `${p99 <= LATENCY_TARGET_MS ? 'met' : 'MISSED'} (≤ ${LATENCY_TARGET_MS} ms)`)}
${row('mutation sent -> event at the client', latency.sentToEvent)}
${row('*for comparison:* mutation answered -> the event alone (no \`device\` selected, no fetch)', latency.answeredToBareEvent)}
${row(`*for comparison:* the same \`device(id:)\` selection as an HTTP query at the gateway (${latency.readDevice.length} queries)`, latency.readDevice)}

${latency.answeredToEvent.length} events, ${latency.wrong} wrong (errors, or a device not yet in the event's status); ${early} arrived before the mutation's answer (negative event-path time).`;
}

function fanOutFigures(fanOut: FanOutResult): string {
  const { idle, held, after, events } = fanOut;
  const expected = events.length * fanOut.subscribers;
  const received = events.reduce((sum, event) => sum + event.delivery.received, 0);
  const wrong = events.reduce((sum, event) => sum + event.delivery.wrong, 0);
  const complete = events.filter((event) => event.delivery.received === fanOut.subscribers);
  const toLast = quantiles(complete.map((event) => event.toLast));
  const toFirst = quantiles(complete.map((event) => event.toFirst));
  const cpu = quantiles(events.map((event) => event.gatewayCpuMs));
  const perSubscriber = (held.usage.rssBytes - idle.usage.rssBytes) / fanOut.sockets;
  const heapPerSubscriber = (held.memory.heapUsed - idle.memory.heapUsed) / fanOut.sockets;
  const delivered = received === expected && wrong === 0;
  const verdict = (bytes: number) => (delivered && bytes <= MEMORY_TARGET_BYTES ? 'met' : 'MISSED');
  const target =
    fanOut.sockets < TARGET_SUBSCRIBERS
      ? `not judged: ${fanOut.sockets} subscribers, fewer than the ${TARGET_SUBSCRIBERS} it is about`
      : `${verdict(held.usage.rssBytes)} holding them (${mib(held.usage.rssBytes)}), ${verdict(after.usage.peakRssBytes)} at the peak while fanning out (${mib(after.usage.peakRssBytes)})`;
  const clientRss = fanOut.clients.reduce((sum, client) => sum + client.rssBytes, 0);
  return `${fanOut.sockets} of ${fanOut.subscribers} sockets subscribed (${fanOut.failedSockets} failed) in ${fanOut.connectSeconds.toFixed(1)} s over ${fanOut.clients.length} client processes (together ${mib(clientRss)} RSS); ${fanOut.warmUps} unmeasured change(s) until one reached everyone.

| gateway process | RSS (VmRSS) | heap used (after a full GC) |
|---|---|---|
| idle, 0 subscribers (after the latency run) | ${mib(idle.usage.rssBytes)} | ${mib(idle.memory.heapUsed)} |
| holding ${fanOut.sockets} subscribers | ${mib(held.usage.rssBytes)} | ${mib(held.memory.heapUsed)} |
| per subscriber | ${(perSubscriber / 1024).toFixed(1)} KiB | ${(heapPerSubscriber / 1024).toFixed(1)} KiB |
| peak during the run (VmHWM) | ${mib(after.usage.peakRssBytes)} | |
| after every client disconnected | ${mib(after.usage.rssBytes)} | ${mib(after.memory.heapUsed)} |

| ${events.length} changes, each to all ${fanOut.subscribers} | p50 | p95 | max |
|---|---|---|---|
| mutation answered -> first subscriber has it | ${ms(toFirst.p50)} | ${ms(toFirst.p95)} | ${ms(toFirst.max)} |
| mutation answered -> last subscriber has it (fan-out time) | ${ms(toLast.p50)} | ${ms(toLast.p95)} | ${ms(toLast.max)} |
| gateway CPU per change (all its threads, user + system) | ${ms(cpu.p50)} | ${ms(cpu.p95)} | ${ms(cpu.max)} |

Deliveries: ${received} of ${expected} expected, ${wrong} wrong; ${fanOut.clientErrors} subscription errors at the clients.
Target ${TARGET_SUBSCRIBERS} subscribers within 1 GiB, every event to every subscriber: ${target}.`;
}

export function subscriptionsSection(input: { options: SubscriptionBenchOptions; versions: string; loadBefore: number; latency: LatencyResult; fanOut: FanOutResult }): string {
  const { options } = input;
  return `\`deviceStatusChanged(deviceId:)\` through the gateway, PostgreSQL + RabbitMQ on this machine: subgraphs in worker
threads of the benchmark process, the gateway in its own process (\`tools/src/bench/gateway-process.ts\`: \`startGateway\`
as \`gateway/src/main.ts\` runs it, plus an IPC channel for its memory), clients with graphql-ws's own client over \`ws\`,
each subscribed to one RUNNING device selecting \`status occurredAt device { status user { email } applications { status
application { name } } }\` (devices, users and apps subgraphs). Status changes are \`stopDevice\`/\`startDevice\` over HTTP
at the gateway, one at a time.

- machine: ${machineLine()}; 1-minute load average ${input.loadBefore.toFixed(1)} when the run began
- versions: ${input.versions}
- gateway heap: ${options.gatewayHeapMib === undefined ? "V8's default limit for this machine's RAM (no --max-old-space-size, as the gateway ships)" : `--max-old-space-size=${options.gatewayHeapMib}`}
- command: \`TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_AMQP_URL=amqp://guest:guest@127.0.0.1:5672 npm run bench -- subscriptions --events ${options.events} --subscribers ${options.subscribers} --fanout-events ${options.fanOutEvents} --client-processes ${options.clientProcesses}${options.gatewayHeapMib === undefined ? '' : ` --gateway-heap-mib ${options.gatewayHeapMib}`}\`
- measured: ${new Date().toISOString().slice(0, 10)}

### Mutation -> event latency, one subscriber

Times at the client (\`performance.now()\`): *sent* is just before the mutation's HTTP request leaves, *answered* is once
its JSON answer is read, *event* is when graphql-ws hands the subscriber the event of that change (matched by
\`occurredAt\` = the device's \`statusChangedAt\`). Each change waits for its event before the next is sent; one unmeasured
change first. The event path is commit -> outbox relay (NOTIFY) -> RabbitMQ -> the gateway's queue -> \`device(id:)\`
fetched through the gateway -> the socket. For comparison, a second subscription on the same socket selects the event
alone (no fetch), and after the changes the same selection is read as an HTTP query.

${latencyTable(input.latency)}

### ${options.subscribers} concurrent subscribers in one gateway process

One socket per subscription, all on the same device with the same selection, so every change goes to every subscriber;
the clients count each subscriber's deliveries per event and check each one. Fan-out times compare the benchmark's
wall clock at the mutation's answer with the client processes' wall clock (\`Date.now()\`, 1 ms resolution) at delivery;
the clients share this machine's CPUs with the gateway and subgraphs, so their own parsing is included.

${fanOutFigures(input.fanOut)}`;
}
