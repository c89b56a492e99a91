import { machineLine } from '../results-file.js';
import type { LoadLength, LoadResult } from './load.js';
import type { PageVariables } from './page.js';
import type { PagesBenchOptions } from './pages.js';

export type TargetName = 'ours' | 'ours-unshared' | 'ours-cached' | 'peer' | 'floor';

/** What one page measured. */
export interface PageReport {
  name: string;
  title: string;
  description: string;
  /** The variables of every timed request. */
  variables: PageVariables;
  /** SQL statements each subgraph sent for one request: by items per page for a list page, one entry (`first: null`) otherwise. */
  statements: { first: number | null; perSubgraph: Record<string, number> }[];
  loads: (LoadResult & { target: TargetName; serverCpuMsPerRequest: number })[];
}

/** Everything one run of the pages benchmark measured, as written to its JSON results file. */
export interface PagesReport {
  options: PagesBenchOptions;
  versions: string;
  /** 1-minute load average before the run began. */
  loadBefore: number;
  pages: PageReport[];
}

/** The page the issue's targets are set for; the others are measured the same way and reported without a verdict on their ratios. */
export const TARGET_PAGE = 'device-list';

/** The issue's targets: ours >= 1.5x the peer's requests/s at the highest concurrency, p50 at concurrency 1 <= 3x the floor's. */
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
   * item may need fewer: when that device has no order, no plan is read.)
   * Undefined for a page that is not a list.
   */
  statementsConstant: boolean | undefined;
}

function load(report: PageReport, target: TargetName, connections: number): LoadResult | undefined {
  return report.loads.find((entry) => entry.target === target && entry.connections === connections);
}

function statementsConstant(statements: PageReport['statements']): boolean | undefined {
  if (statements.some((entry) => entry.first === null)) return undefined;
  const [smallest, ...larger] = [...statements].sort((a, b) => (a.first ?? 0) - (b.first ?? 0));
  const largest = larger.at(-1);
  const names = Object.keys(largest?.perSubgraph ?? {});
  // Every page from the second size up costs what the largest does; the smallest never more than the next.
  return (
    smallest !== undefined &&
    largest !== undefined &&
    larger.every((entry) => names.every((name) => entry.perSubgraph[name] === largest.perSubgraph[name])) &&
    names.every((name) => (smallest.perSubgraph[name] ?? 0) <= (larger[0]?.perSubgraph[name] ?? 0))
  );
}

export function verdictOf(report: PageReport, options: Pick<PagesBenchOptions, 'connections'>): PagesVerdict {
  const lowest = Math.min(...options.connections);
  const highest = Math.max(...options.connections);
  const throughputOf = (target: TargetName) => (load(report, target, highest)?.requestsPerSecond ?? Number.NaN) / (load(report, 'peer', highest)?.requestsPerSecond ?? Number.NaN);
  const latencyOf = (target: TargetName) => (load(report, target, lowest)?.p50 ?? Number.NaN) / (load(report, 'floor', lowest)?.p50 ?? Number.NaN);
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
    statementsConstant: statementsConstant(report.statements),
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
const lengthText = (length: LoadLength) => ('seconds' in length ? `${length.seconds} s` : `${length.requestsPerConnection} request(s) per connection (at least ${length.atLeast})`);
const met = (ok: boolean) => (ok ? 'met' : 'MISSED');

function dataLine(options: PagesBenchOptions): string {
  if (options.data.kind === 'existing') return `databases \`${options.data.databasePrefix}<subgraph>\` loaded beforehand (\`npm run seed -- --scale large\`)`;
  const size = options.data.size;
  return `generated for the run (demo generator): ${size.tenants} tenants, ${size.users} users, ${size.devices} devices, ${size.applications} applications, ${size.orders} orders`;
}

/** The BENCHMARKS.md section of one page of a run. */
export function pageSection(report: PagesReport, page: PageReport, command: string): string {
  const verdict = verdictOf(page, report.options);
  const { options } = report;
  const lowest = Math.min(...options.connections);
  const highest = Math.max(...options.connections);
  const targeted = page.name === TARGET_PAGE;
  const subgraphs = Object.keys(page.statements[0]?.perSubgraph ?? {}).filter((name) => page.statements.some((entry) => (entry.perSubgraph[name] ?? 0) > 0));
  const ratio = (label: string, value: number, limit: string, ok: boolean) => `| ${label}${targeted ? `, ${limit}` : ''} | ${value.toFixed(2)} |${targeted ? ` ${met(ok)} |` : ''}`;
  const lines = [
    `${page.description} Variables: \`${JSON.stringify(page.variables)}\`.`,
    '',
    'The same subgraphs (worker threads of the benchmark process, real PostgreSQL, RabbitMQ and Redis) behind our gateway',
    `(\`node gateway/dist/main.js\`, \`NODE_ENV=production\`, ${options.gatewayWorkers} process(es): JWT check, rate limit in Redis, identity signing) and behind`,
    'Hive Gateway (one process, the committed supergraph, no auth of its own: it passes on an identity the benchmark signed).',
    "Both share identical subgraph reads in flight (ours: `SUBGRAPH_SHARE_INFLIGHT`; Hive: its HTTP executor's",
    '`deduplicateInflightRequests`, on by default); every client here is one admin asking for the same page, so sharing',
    'pays off fully. "Not shared" is our gateway with `SUBGRAPH_SHARE_INFLIGHT=false`: what one client request costs. The',
    'floor is the same data read by direct SQL (its own process, JSON over HTTP). "Subgraph cache" is our gateway with',
    '`SUBGRAPH_CACHE=true` (as docker-compose runs it): no data changes during a run, so after the first page every',
    'subgraph read is answered from Redis; it shows what a page costs when nothing behind it changed, not what a page costs',
    'after a change. Before timing, all of them must answer the page with equal data. autocannon drives each for',
    `${lengthText(options.measure)} after ${lengthText(options.warmup)} of warm-up; every answer is checked for GraphQL errors.`,
    '',
    `- machine: ${machineLine()}; 1-minute load average ${report.loadBefore.toFixed(1)} when the run began`,
    `- versions: ${report.versions}`,
    `- data: ${dataLine(options)}`,
    `- command: \`${command}\``,
    `- measured: ${new Date().toISOString().slice(0, 10)}`,
    '',
    '| target | concurrency | requests/s | p50 | p95 | p99 | errors | server CPU per request |',
    '|---|---|---|---|---|---|---|---|',
    ...page.loads.map(
      (entry) =>
        `| ${TARGET_LABELS[entry.target]} | ${entry.connections} | ${entry.requestsPerSecond.toFixed(0)} | ${ms(entry.p50)} | ${ms(entry.p95)} | ${ms(entry.p99)} | ${entry.errors} | ${ms(entry.serverCpuMsPerRequest)} |`,
    ),
    '',
    targeted ? '| target | measured | result |' : '| ratio (the targets are set for the device list; here for information) | measured |',
    targeted ? '|---|---|---|' : '|---|---|',
    ratio(`requests/s at concurrency ${highest}, ours / peer`, verdict.throughputRatio, `at least ${TARGETS.peerThroughputRatio}`, verdict.throughputMet),
    ratio(`p50 at concurrency ${lowest}, ours / floor`, verdict.latencyRatio, `at most ${TARGETS.floorLatencyRatio}`, verdict.latencyMet),
    ratio(`requests/s at concurrency ${highest}, ours with the subgraph cache / peer`, verdict.cachedThroughputRatio, `at least ${TARGETS.peerThroughputRatio}`, verdict.cachedThroughputMet),
    ratio(`p50 at concurrency ${lowest}, ours with the subgraph cache / floor`, verdict.cachedLatencyRatio, `at most ${TARGETS.floorLatencyRatio}`, verdict.cachedLatencyMet),
    '',
    ...statementLines(page, subgraphs, verdict.statementsConstant),
  ];
  return lines.join('\n');
}

function statementLines(page: PageReport, subgraphs: readonly string[], constant: boolean | undefined): string[] {
  const header = `| ${subgraphs.join(' | ')} |`;
  const rule = `|${subgraphs.map(() => '---').join('|')}|`;
  const counts = (entry: PageReport['statements'][number]) => subgraphs.map((name) => entry.perSubgraph[name] ?? 0).join(' | ');
  if (constant === undefined) {
    return ['SQL statements per request, by subgraph (through our gateway; the least of three requests, so a background timer is not counted):', '', header, rule, ...page.statements.map((entry) => `| ${counts(entry)} |`)];
  }
  return [
    `SQL statements per request, by subgraph and items per page (through our gateway; the least of three requests, so a background timer is not counted): **${constant ? 'constant' : 'GROWS'}** from ${page.statements[0]?.first ?? '?'} to ${page.statements.at(-1)?.first ?? '?'} items, ${met(constant)}. A page of one item can need fewer than a full page (a device with no order reads no plan).`,
    '',
    `| items per page ${header}`,
    `|---${rule}`,
    ...page.statements.map((entry) => `| ${entry.first ?? ''} | ${counts(entry)} |`),
  ];
}
