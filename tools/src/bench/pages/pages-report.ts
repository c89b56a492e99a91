import { machineLine } from '../results-file.js';
import type { LoadResult } from './load.js';
import type { PagesBenchOptions } from './pages.js';

export type TargetName = 'ours' | 'ours-unshared' | 'ours-cached' | 'peer' | 'floor';

/** Everything one run of the pages benchmark measured, as written to its JSON results file. */
export interface PagesReport {
  options: PagesBenchOptions;
  versions: string;
  /** 1-minute load average before the run began. */
  loadBefore: number;
  /** SQL statements each subgraph sent for one page, by page size. */
  statements: { first: number; perSubgraph: Record<string, number> }[];
  loads: (LoadResult & { target: TargetName; serverCpuMsPerRequest: number })[];
}

/** The targets: ours >= 1.5x the peer's requests/s at the highest concurrency, p50 at concurrency 1 <= 3x the floor's. */
export const TARGETS = { peerThroughputRatio: 1.5, floorLatencyRatio: 3 };

export interface PagesVerdict {
  /** Without the subgraph cache (the gateway's default). */
  throughputRatio: number;
  latencyRatio: number;
  throughputMet: boolean;
  latencyMet: boolean;
  /** With the subgraph cache (SUBGRAPH_CACHE=true, as docker-compose runs it). */
  cachedThroughputRatio: number;
  cachedLatencyRatio: number;
  cachedThroughputMet: boolean;
  cachedLatencyMet: boolean;
  /**
   * No subgraph sends more statements for a larger page. (A page of one
   * device may need fewer: when that device has no order, no plan is read.)
   */
  statementsConstant: boolean;
}

function load(report: PagesReport, target: TargetName, connections: number): LoadResult | undefined {
  return report.loads.find((entry) => entry.target === target && entry.connections === connections);
}

export function verdictOf(report: PagesReport): PagesVerdict {
  const lowest = Math.min(...report.options.connections);
  const highest = Math.max(...report.options.connections);
  const throughputOf = (target: TargetName) => (load(report, target, highest)?.requestsPerSecond ?? Number.NaN) / (load(report, 'peer', highest)?.requestsPerSecond ?? Number.NaN);
  const latencyOf = (target: TargetName) => (load(report, target, lowest)?.p50 ?? Number.NaN) / (load(report, 'floor', lowest)?.p50 ?? Number.NaN);
  const [smallest, ...larger] = [...report.statements].sort((a, b) => a.first - b.first);
  const largest = larger.at(-1);
  const names = Object.keys(largest?.perSubgraph ?? {});
  // Every page from the second size up costs what the largest does; the smallest never more than the next.
  const constant =
    smallest !== undefined &&
    largest !== undefined &&
    larger.every((entry) => names.every((name) => entry.perSubgraph[name] === largest.perSubgraph[name])) &&
    names.every((name) => (smallest.perSubgraph[name] ?? 0) <= (larger[0]?.perSubgraph[name] ?? 0));
  const [throughputRatio, cachedThroughputRatio] = [throughputOf('ours'), throughputOf('ours-cached')];
  const [latencyRatio, cachedLatencyRatio] = [latencyOf('ours'), latencyOf('ours-cached')];
  return {
    throughputRatio,
    latencyRatio,
    throughputMet: throughputRatio >= TARGETS.peerThroughputRatio,
    latencyMet: latencyRatio <= TARGETS.floorLatencyRatio,
    cachedThroughputRatio,
    cachedLatencyRatio,
    cachedThroughputMet: cachedThroughputRatio >= TARGETS.peerThroughputRatio,
    cachedLatencyMet: cachedLatencyRatio <= TARGETS.floorLatencyRatio,
    statementsConstant: constant,
  };
}

const TARGET_LABELS: Record<TargetName, string> = {
  ours: 'ours (@apollo/gateway, this repo)',
  'ours-unshared': 'ours, reads in flight not shared',
  'ours-cached': 'ours, subgraph cache (Redis)',
  peer: 'peer (Hive Gateway)',
  floor: 'floor (direct SQL)',
};

const ms = (value: number) => `${value.toFixed(1)} ms`;
const met = (ok: boolean) => (ok ? 'met' : 'MISSED');

function dataLine(options: PagesBenchOptions): string {
  if (options.data.kind === 'existing') return `databases \`${options.data.databasePrefix}<subgraph>\` loaded beforehand (\`npm run seed -- --scale large\`)`;
  const size = options.data.size;
  return `generated for the run (demo generator): ${size.tenants} tenants, ${size.users} users, ${size.devices} devices, ${size.applications} applications, ${size.orders} orders`;
}

/** The BENCHMARKS.md section of a run. */
export function pagesSection(report: PagesReport, command: string): string {
  const verdict = verdictOf(report);
  const { options } = report;
  const lowest = Math.min(...options.connections);
  const highest = Math.max(...options.connections);
  const subgraphs = Object.keys(report.statements[0]?.perSubgraph ?? {}).filter((name) => report.statements.some((entry) => (entry.perSubgraph[name] ?? 0) > 0));
  const lines = [
    `The admin device list page (DOMAIN.md, "What the pages need"): \`devices(first: ${options.pageSize}, orderBy: OWNER_NAME)\` with each`,
    "device's owner (name, e-mail, tenant), node, installed application count and latest order with its plan: the",
    'devices, users, apps and billing subgraphs. The same subgraphs (worker threads of the benchmark process, real',
    `PostgreSQL, RabbitMQ and Redis) behind our gateway (\`node gateway/dist/main.js\`, \`NODE_ENV=production\`, ${options.gatewayWorkers} process(es):`,
    'JWT check, rate limit in Redis, identity signing) and behind Hive Gateway (one process, the committed supergraph, no auth of its own: it',
    'passes on an identity the benchmark signed). Both share identical subgraph reads in flight (ours:',
    '`SUBGRAPH_SHARE_INFLIGHT`; Hive: its HTTP executor\'s `deduplicateInflightRequests`, on by default); every client',
    'here is one admin asking for the same page, so sharing pays off fully. "Not shared" is our gateway with',
    '`SUBGRAPH_SHARE_INFLIGHT=false`: what one client request costs. The floor is the same data read by direct SQL (its own process, four',
    'queries, JSON over HTTP). "Subgraph cache" is our gateway with `SUBGRAPH_CACHE=true` (as docker-compose runs it): no',
    'data changes during a run, so after the first page every subgraph read is answered from Redis; it shows what a page',
    'costs when nothing behind it changed, not what a page costs after a change. Before timing, all of them must answer the',
    'page with equal data. autocannon drives each for',
    `${options.durationSeconds} s after ${options.warmupSeconds} s of warm-up; every answer is checked for GraphQL errors.`,
    '',
    `- machine: ${machineLine()}; 1-minute load average ${report.loadBefore.toFixed(1)} when the run began`,
    `- versions: ${report.versions}`,
    `- data: ${dataLine(options)}`,
    `- command: \`${command}\``,
    `- measured: ${new Date().toISOString().slice(0, 10)}`,
    '',
    '| target | concurrency | requests/s | p50 | p95 | p99 | errors | server CPU per request |',
    '|---|---|---|---|---|---|---|---|',
    ...report.loads.map(
      (entry) =>
        `| ${TARGET_LABELS[entry.target]} | ${entry.connections} | ${entry.requestsPerSecond.toFixed(0)} | ${ms(entry.p50)} | ${ms(entry.p95)} | ${ms(entry.p99)} | ${entry.errors} | ${ms(entry.serverCpuMsPerRequest)} |`,
    ),
    '',
    '| target | measured | result |',
    '|---|---|---|',
    `| requests/s at concurrency ${highest}, ours / peer, at least ${TARGETS.peerThroughputRatio} | ${verdict.throughputRatio.toFixed(2)} | ${met(verdict.throughputMet)} |`,
    `| p50 at concurrency ${lowest}, ours / floor, at most ${TARGETS.floorLatencyRatio} | ${verdict.latencyRatio.toFixed(2)} | ${met(verdict.latencyMet)} |`,
    `| requests/s at concurrency ${highest}, ours with the subgraph cache / peer, at least ${TARGETS.peerThroughputRatio} | ${verdict.cachedThroughputRatio.toFixed(2)} | ${met(verdict.cachedThroughputMet)} |`,
    `| p50 at concurrency ${lowest}, ours with the subgraph cache / floor, at most ${TARGETS.floorLatencyRatio} | ${verdict.cachedLatencyRatio.toFixed(2)} | ${met(verdict.cachedLatencyMet)} |`,
    `| SQL statements per request constant from ${report.statements[0]?.first ?? '?'} to ${report.statements.at(-1)?.first ?? '?'} devices (table below) | ${verdict.statementsConstant ? 'constant' : 'grows'} | ${met(verdict.statementsConstant)} |`,
    '',
    'SQL statements per request, by subgraph (through our gateway; the least of three requests, so a background timer is not',
    "counted). A page of one device can need fewer than a full page: when that device has no order, billing reads no plan.",
    '',
    `| devices per page | ${subgraphs.join(' | ')} |`,
    `|---|${subgraphs.map(() => '---').join('|')}|`,
    ...report.statements.map((entry) => `| ${entry.first} | ${subgraphs.map((name) => entry.perSubgraph[name] ?? 0).join(' | ')} |`),
  ];
  return lines.join('\n');
}
