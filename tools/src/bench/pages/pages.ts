import { isDeepStrictEqual } from 'node:util';
import os from 'node:os';
import { readFile } from 'node:fs/promises';
import { IDENTITY_HEADER, IdentityAssertions, principalFromClaims } from '@cloudphone/identity';
import { type DatabaseTarget, databaseUrlOn } from '@cloudphone/db';
import { throwawayPostgres } from '@cloudphone/testing';
import { loadBenchConfig } from '../../config.js';
import { repoPath } from '../../paths.js';
import { readRoverConfig } from '../../rover-config.js';
import { type DatasetSize, buildDemoDataset } from '../../seed/dataset.js';
import { type SubgraphFleet, startSubgraphs } from '../../stack/stack.js';
import { type GatewayAuth, signInAsDemoAdmin } from '../gateway-auth.js';
import type { ProcessUsage } from '../gateway-child.js';
import { freePort } from '../../stack/free-port.js';
import { type GatewayMain, gatewayEnvironment, startGatewayMain } from '../../stack/gateway-main.js';
import { postgresUrlOf, serverVersions } from '../servers.js';
import { pagesNamed } from './catalog.js';
import type { FloorSettings } from './floor-process.js';
import type { HiveGatewaySettings } from './hive-gateway-process.js';
import { type LoadLength, type LoadResult, runLoad } from './load.js';
import { type BenchPage, type PageDatabases, openPageDatabases } from './page.js';
import type { PageReport, PagesReport, TargetName } from './pages-report.js';
import { type ServerChild, startServerChild } from './server-child.js';
import { supergraphWithUrls } from './supergraph-urls.js';

/** Where the benchmark's data comes from. */
export type PagesData =
  /** Fresh databases seeded with the deterministic demo generator at this size, dropped afterwards. */
  | { kind: 'generated'; size: DatasetSize }
  /** Databases loaded beforehand (`npm run seed -- --scale large`): `<prefix><subgraph>` on the benchmark's server, kept. */
  | { kind: 'existing'; databasePrefix: string };

export interface PagesBenchOptions {
  data: PagesData;
  /** The pages to measure (`BenchPage.name`); all of them when empty. */
  pages: string[];
  /** Items per page of the list pages. */
  pageSize: number;
  /** Concurrencies to measure at (connections, each sending its next request when its answer arrives). */
  connections: number[];
  /** Each measurement's length, after a warm-up of the same target. */
  measure: LoadLength;
  warmup: LoadLength;
  /** Page sizes whose SQL statements per request are counted. */
  statementPageSizes: number[];
  /** GATEWAY_WORKERS of our gateway: its processes sharing the port. */
  gatewayWorkers: number;
}

/** The sizes `npm run bench -- pages` generates by default: enough rows that every page query reads indexes, quick to seed. */
export const PAGES_BENCH_SIZE: DatasetSize = { tenants: 20, users: 2_000, devices: 6_000, applications: 30, orders: 12_000 };

/**
 * Connections per subgraph database (production's default) and per database of the floor: six subgraphs (and
 * their listeners) and the floor's pools stay within PostgreSQL's default max_connections of 100 with room for
 * the benchmark's own connections.
 */
const SUBGRAPH_POOL_SIZE = 10;
const FLOOR_POOL_SIZE = 4;

function databasesOf(postgresUrl: string, names: readonly string[], data: PagesData): { targets: Record<string, DatabaseTarget>; drop(): Promise<void> } {
  if (data.kind === 'generated') {
    const throwaway = throwawayPostgres(postgresUrl, names);
    const targets = Object.fromEntries(Object.entries(throwaway.targets).map(([name, target]) => [name, { ...target, poolSize: SUBGRAPH_POOL_SIZE }]));
    return { targets, drop: throwaway.drop };
  }
  const targets = Object.fromEntries(
    names.map((name) => [name, { kind: 'postgres', url: databaseUrlOn(postgresUrl, `${data.databasePrefix}${name}`), poolSize: SUBGRAPH_POOL_SIZE } satisfies DatabaseTarget]),
  );
  return { targets, drop: async () => undefined };
}

/**
 * Signs, as our gateway would, the identity of the user behind `auth`: the
 * peer gateway forwards it to the subgraphs, which check it as they check
 * ours. Assertions live 60 s, so one is signed just before each peer run.
 */
async function peerIdentity(auth: GatewayAuth, internalSecret: string): Promise<string> {
  const token = auth.authorization.replace(/^Bearer /, '');
  const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
  const principal = principalFromClaims(payload);
  if (!principal) throw new Error('the access token carries no principal');
  return new IdentityAssertions(internalSecret).sign(principal, 'gateway');
}

async function post(url: string, headers: Readonly<Record<string, string>>, body: string): Promise<{ data?: unknown; errors?: unknown }> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return (await response.json()) as { data?: unknown; errors?: unknown };
}

async function packageVersion(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(repoPath('node_modules', name, 'package.json'), 'utf8')) as { version: string };
  return `${name} ${manifest.version}`;
}

interface Target {
  name: TargetName;
  url: string;
  headers: () => Promise<Record<string, string>>;
  /** The serving process's CPU time so far (the floor's included: its JSON and SQL client work). */
  usage: () => Promise<ProcessUsage>;
}

/** SQL statements each subgraph sends for one request through our gateway (the least of three tries, so a timer's statement is not counted). */
async function statementsPerSubgraph(fleet: SubgraphFleet, gateway: Target, body: string): Promise<Record<string, number>> {
  const threads = [...fleet.threads.values()];
  const least: Record<string, number> = {};
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const before = await Promise.all(threads.map((thread) => thread.statements()));
    // A failed page would count fewer statements.
    const answer = await post(gateway.url, await gateway.headers(), body);
    if (answer.errors !== undefined || answer.data === undefined) throw new Error(`the page failed while its statements were counted: ${JSON.stringify(answer).slice(0, 2000)}`);
    const after = await Promise.all(threads.map((thread) => thread.statements()));
    threads.forEach((thread, index) => {
      const sent = (after[index] ?? 0) - (before[index] ?? 0);
      least[thread.name] = Math.min(least[thread.name] ?? Number.POSITIVE_INFINITY, sent);
    });
  }
  return least;
}

/** The running servers every page is measured on. */
interface Servers {
  fleet: SubgraphFleet;
  ours: GatewayMain;
  oursUnshared: GatewayMain;
  oursCached: GatewayMain;
  peer: ServerChild;
  floor: ServerChild;
  databaseUrls: Record<keyof PageDatabases, string>;
}

/**
 * The pages of DOMAIN.md at concurrency 1 and 50 through our gateway, through
 * Hive Gateway over the same subgraphs, and read by direct SQL, on real
 * PostgreSQL, RabbitMQ and Redis; subgraphs in worker threads of this process,
 * each server measured in a process of its own.
 */
export async function benchPages(options: PagesBenchOptions): Promise<PagesReport> {
  const pages = pagesNamed(options.pages);
  const loadBefore = os.loadavg()[0] ?? Number.NaN;
  const config = loadBenchConfig();
  const names = (await readRoverConfig()).subgraphs.map((subgraph) => subgraph.name);
  const run = Date.now().toString(36);
  const databases = databasesOf(config.postgresUrl, names, options.data);
  // Billing's background sweeps would send statements while they are counted: slowed down for the run.
  Object.assign(process.env, { SAGA_POLL_MS: '60000', ORDER_EXPIRY_INTERVAL_MS: '3600000' });
  const started: { close(): Promise<void> }[] = [];
  try {
    const seedStarted = performance.now();
    const fleet = await startSubgraphs({
      databases: databases.targets,
      ports: { kind: 'free' },
      host: '127.0.0.1',
      seed: options.data.kind === 'generated' ? { ...buildDemoDataset(options.data.size) } : null,
      events: { amqpUrl: config.amqpUrl, namespace: `bench-${run}` },
      redisUrl: config.redisUrl,
    });
    started.push(fleet);
    console.log(`subgraphs ready in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
    const ours = await startOurGateway(fleet, config, options.gatewayWorkers, { shareInflight: true, cache: false });
    started.push(ours);
    // The same gateway with identical reads in flight fetched one by one: what sharing them is worth.
    const oursUnshared = await startOurGateway(fleet, config, options.gatewayWorkers, { shareInflight: false, cache: false });
    started.push(oursUnshared);
    // The same gateway as docker-compose runs it, with the subgraph cache in Redis: no change is announced during a
    // run, so after the first page every read is answered from Redis.
    const oursCached = await startOurGateway(fleet, config, options.gatewayWorkers, { shareInflight: true, cache: true });
    started.push(oursCached);
    const peer = await startServerChild<HiveGatewaySettings>(new URL('./hive-gateway-process.js', import.meta.url), {
      supergraphSdl: supergraphWithUrls(await readFile(repoPath('schema', 'supergraph.graphql'), 'utf8'), fleet.urls),
    });
    started.push(peer);
    const urls = {
      users: postgresUrlOf(databases.targets.users),
      devices: postgresUrlOf(databases.targets.devices),
      apps: postgresUrlOf(databases.targets.apps),
      billing: postgresUrlOf(databases.targets.billing),
      notifications: postgresUrlOf(databases.targets.notifications),
      scheduler: postgresUrlOf(databases.targets.scheduler),
    };
    const floor = await startServerChild<FloorSettings>(new URL('./floor-process.js', import.meta.url), { urls, poolSize: FLOOR_POOL_SIZE });
    started.push(floor);
    const servers: Servers = { fleet, ours, oursUnshared, oursCached, peer, floor, databaseUrls: urls };
    const measured: PageReport[] = [];
    for (const page of pages) measured.push(await benchPage(page, servers, options));
    const versions = [
      await serverVersions(urls.devices, config.amqpUrl),
      ...(await Promise.all(['@apollo/gateway', '@graphql-hive/gateway', 'autocannon', 'postgres'].map(packageVersion))),
    ].join(', ');
    return { options, versions, loadBefore, pages: measured };
  } finally {
    for (const server of started.reverse()) await server.close().catch((error: unknown) => console.error(error));
    await databases.drop();
  }
}

/** One page: the same answer from every target, its statements per subgraph, then each target under load at each concurrency. */
async function benchPage(page: BenchPage, servers: Servers, options: PagesBenchOptions): Promise<PageReport> {
  console.log(`page ${page.name}`);
  // Signed in afresh for each page: a whole run outlives one access token.
  const auth = await signInAsDemoAdmin(servers.ours.url);
  const json = { 'content-type': 'application/json' };
  const targets: Target[] = [
    { name: 'ours', url: servers.ours.url, headers: async () => ({ ...auth.httpHeaders }), usage: servers.ours.usage },
    { name: 'ours-unshared', url: servers.oursUnshared.url, headers: async () => ({ ...auth.httpHeaders }), usage: servers.oursUnshared.usage },
    { name: 'ours-cached', url: servers.oursCached.url, headers: async () => ({ ...auth.httpHeaders }), usage: servers.oursCached.usage },
    {
      name: 'peer',
      url: servers.peer.url,
      headers: async () => ({ ...json, [IDENTITY_HEADER]: await peerIdentity(auth, servers.fleet.internalSecret) }),
      usage: servers.peer.usage,
    },
    { name: 'floor', url: new URL(`/${page.name}`, servers.floor.url).toString(), headers: async () => json, usage: servers.floor.usage },
  ];
  const query = await page.query();
  // One connection per database to choose the variables with, closed before anything is timed.
  const own = openPageDatabases(servers.databaseUrls, 1);
  const variables = await page.variables(own, options.pageSize).finally(() => own.end());
  const body = JSON.stringify({ query, variables });
  await assertSameAnswers(targets, body);

  const statements: PageReport['statements'] = [];
  const sizeVariable = page.pageSizeVariable;
  if (sizeVariable === undefined) {
    statements.push({ first: null, perSubgraph: await statementsPerSubgraph(servers.fleet, targets[0] as Target, body) });
  } else {
    for (const first of options.statementPageSizes) {
      const sized = JSON.stringify({ query, variables: { ...variables, [sizeVariable]: first } });
      statements.push({ first, perSubgraph: await statementsPerSubgraph(servers.fleet, targets[0] as Target, sized) });
    }
  }

  const loads: PageReport['loads'] = [];
  for (const connections of options.connections) {
    for (const target of targets) {
      const headers = await target.headers();
      console.log(`  ${target.name} at concurrency ${connections}...`);
      await runLoad({ url: target.url, headers, body, connections, length: options.warmup });
      const cpuBefore = (await target.usage()).cpuMs;
      const result: LoadResult = await runLoad({ url: target.url, headers, body, connections, length: options.measure });
      const cpuMs = (await target.usage()).cpuMs - cpuBefore;
      loads.push({ target: target.name, ...result, serverCpuMsPerRequest: result.requests === 0 ? Number.NaN : cpuMs / result.requests });
    }
  }
  return { name: page.name, title: page.title, description: page.description, variables, statements, loads };
}

/** Our gateway as production starts it (`node gateway/dist/main.js`, configured by its environment; rate limit raised for one client). */
async function startOurGateway(fleet: SubgraphFleet, servers: { amqpUrl: string; redisUrl: string }, workers: number, features: { shareInflight: boolean; cache: boolean }): Promise<GatewayMain> {
  return startGatewayMain({
    ...gatewayEnvironment({ urls: fleet.urls, internalSecret: fleet.internalSecret, events: { amqpUrl: servers.amqpUrl, namespace: fleet.events.namespace }, redisUrl: servers.redisUrl }),
    GATEWAY_PORT: String(await freePort('127.0.0.1', new Set())),
    GATEWAY_WORKERS: String(workers),
    SUBGRAPH_SHARE_INFLIGHT: String(features.shareInflight),
    SUBGRAPH_CACHE: String(features.cache),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    // The limit stays on (every request is counted in Redis) but above what one signed-in admin sends in a run.
    RATE_LIMIT_POINTS: '1000000000',
  });
}

/** The root field's value is missing, or a connection with no edges: a page that shows nothing measures nothing. */
function isEmptyPage(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return true;
  const root: unknown = Object.values(data)[0];
  if (typeof root !== 'object' || root === null) return true;
  return 'edges' in root && Array.isArray(root.edges) && root.edges.length === 0;
}

/** Before anything is timed: every target must answer the page with the same data, or the comparison means nothing. */
async function assertSameAnswers(targets: readonly Target[], body: string): Promise<void> {
  const answers = await Promise.all(targets.map(async (target) => ({ target: target.name, answer: await post(target.url, await target.headers(), body) })));
  const [reference, ...others] = answers;
  if (!reference?.answer.data || reference.answer.errors !== undefined) throw new Error(`${reference?.target} failed the page: ${JSON.stringify(reference?.answer)}`.slice(0, 2000));
  if (isEmptyPage(reference.answer.data)) throw new Error(`the page is empty: nothing to measure (${JSON.stringify(reference.answer.data).slice(0, 500)})`);
  for (const other of others) {
    if (!isDeepStrictEqual(other.answer, reference.answer)) {
      throw new Error(`${other.target} answered the page differently from ${reference.target}:\n${JSON.stringify(other.answer).slice(0, 3000)}\nvs\n${JSON.stringify(reference.answer).slice(0, 3000)}`);
    }
  }
}
