import type { LogLevel } from '@cloudphone/config';
import { type DatabaseTarget, initialiseEmbeddedDataDir } from '@cloudphone/db';
import { type GatewayHandle, loadGatewayConfig, startGateway } from '@cloudphone/gateway';
import { gatewayEnvironment } from './gateway-main.js';
import { loadSubgraphs } from '../subgraph-registry.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { freePort } from './free-port.js';
import type { SharedCacheSettings } from '@cloudphone/subgraph-kit';
import type { EventSettings, SubgraphWorkerData } from './protocol.js';
import { type SubgraphProcess, type SubgraphProcessOptions, assertProcessable, startSubgraphProcess } from './subgraph-process.js';
import { type SubgraphThread, startSubgraphThread } from './subgraph-thread.js';

export interface StackOptions {
  /** The database of each subgraph by name. */
  databases: Record<string, DatabaseTarget>;
  /** Fixed ports from rover.yaml's routing URLs and the given gateway port, or free ports (tests). */
  ports: { kind: 'routing'; gateway: number } | { kind: 'free' };
  host: string;
  /** Rows for each subgraph, loaded into empty databases; null loads nothing. */
  seed: Record<string, unknown> | null;
  /** Logs at info (`npm start` with LOG_LEVEL=verbose); warnings and errors only otherwise, as tests want. */
  verbose?: boolean;
  /** RabbitMQ URL, stack namespace and retry policy; defaults: in process, fresh namespace, 5 attempts from 1 s. */
  events?: Partial<EventSettings>;
  /** Extra gateway settings (environment-style), e.g. shorter subgraph timeouts in tests. */
  gatewayEnv?: Record<string, string>;
  /** The secret shared by the gateway and the subgraphs; default: a fresh one for this stack. */
  internalSecret?: string;
  /** Redis for token revocations, rate limits and the configuration cache across processes; in process without it. */
  redisUrl?: string | undefined;
  /**
   * Subgraphs to run as child processes (`node subgraphs/<name>/dist/main.js`)
   * instead of threads, by name: crash tests kill and restart them. Each needs
   * a PostgreSQL database, RabbitMQ (`events.amqpUrl`) and `redisUrl`; the stack
   * seeds its database before the first run.
   */
  processes?: Record<string, SubgraphProcessOptions>;
  /** Where the gateway and every subgraph send their spans (OTLP/HTTP); undefined: no tracing. */
  tracesUrl?: string | undefined;
}

export interface Stack {
  gatewayUrl: string;
  /** The secret the gateway and subgraphs share (tests sign identities with it to call a subgraph directly). */
  internalSecret: string;
  /** Each subgraph's URL by name. */
  subgraphUrls: Record<string, string>;
  /** Where the stack's events travel (tests publish into it). */
  events: EventSettings;
  /** Where the subgraphs share their configuration cache: Redis keys and channel under `namespace` (the events namespace). */
  cache: SharedCacheSettings;
  gateway: GatewayHandle;
  /** The subgraphs running in threads. */
  subgraphs: Map<string, SubgraphThread>;
  /** The subgraphs running as processes (`StackOptions.processes`). */
  processes: Map<string, SubgraphProcess>;
  /** Stops one subgraph, thread or process (tests of partial failure). */
  stopSubgraph(name: string): Promise<void>;
  close(): Promise<void>;
}

function stackLogLevel(options: Pick<StackOptions, 'verbose'>): LogLevel {
  return options.verbose ? 'info' : 'warn';
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** The subgraphs of a stack, without a gateway in front (benchmarks run the gateway as its own process). */
export interface SubgraphFleet {
  /** Each subgraph's URL by name, for the gateway's `<NAME>_SUBGRAPH_URL` overrides. */
  urls: Record<string, string>;
  events: EventSettings;
  cache: SharedCacheSettings;
  threads: Map<string, SubgraphThread>;
  processes: Map<string, SubgraphProcess>;
  internalSecret: string;
  close(): Promise<void>;
}

/** Attempts at starting the subgraphs on free ports before a port taken in the meantime fails the start. */
const FREE_PORT_ATTEMPTS = 3;

function isPortTaken(error: unknown): boolean {
  return error instanceof Error && error.message.includes('EADDRINUSE');
}

/**
 * Starts every subgraph of rover.yaml, each in its own thread (or process, `options.processes`), all at once.
 * Free ports are chosen before the subgraphs start (each needs its peers' URLs) and bound seconds later, once
 * its code is loaded: another process on the machine (a test file beside this one) can take one in between.
 * Then everything started is closed and the whole fleet starts again on newly chosen ports.
 */
export async function startSubgraphs(options: Omit<StackOptions, 'gatewayEnv'>): Promise<SubgraphFleet> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startSubgraphsOnce(options);
    } catch (error) {
      if (options.ports.kind !== 'free' || attempt >= FREE_PORT_ATTEMPTS || !isPortTaken(error)) throw error;
    }
  }
}

async function startSubgraphsOnce(options: Omit<StackOptions, 'gatewayEnv'>): Promise<SubgraphFleet> {
  const subgraphs = await loadSubgraphs();
  const ports = new Map<string, number>();
  for (const subgraph of subgraphs) {
    ports.set(subgraph.name, options.ports.kind === 'routing' ? portOf(subgraph.routingUrl) : await freePort(options.host, new Set(ports.values())));
  }
  // Fresh embedded folders are created one by one, before any subgraph starts, to bound the memory peak.
  for (const target of Object.values(options.databases)) {
    if (target.kind === 'pglite' && target.dataDir !== undefined) await initialiseEmbeddedDataDir(target.dataDir);
  }
  const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  const logLevel = stackLogLevel(options);
  const urls = Object.fromEntries(subgraphs.map((subgraph) => [subgraph.name, `http://${host}:${ports.get(subgraph.name)}/graphql`]));

  const events: EventSettings = {
    amqpUrl: options.events?.amqpUrl,
    namespace: options.events?.namespace ?? `cloudphone-${randomUUID().slice(0, 8)}`,
    retry: options.events?.retry ?? { maxAttempts: 5, baseMs: 1_000, factor: 4 },
  };
  const internalSecret = options.internalSecret ?? randomBytes(32).toString('base64url');
  const cache: SharedCacheSettings = { url: options.redisUrl, namespace: events.namespace };
  const processOptions = options.processes ?? {};
  for (const name of Object.keys(processOptions)) {
    if (!subgraphs.some((subgraph) => subgraph.name === name)) throw new Error(`processes: rover.yaml has no subgraph ${name}`);
  }
  // Every subgraph's settings, and whether each process subgraph can be one, before anything starts.
  const planned = subgraphs.map((subgraph) => {
    const target = options.databases[subgraph.name];
    if (!target) throw new Error(`no database given for subgraph ${subgraph.name}`);
    const data: Extract<SubgraphWorkerData, { mode: 'serve' }> = {
      mode: 'serve',
      name: subgraph.name,
      target,
      port: ports.get(subgraph.name) ?? 0,
      host: options.host,
      peers: Object.fromEntries(subgraph.definition.peers.map((peer) => [peer, urls[peer] ?? ''])),
      seed: options.seed?.[subgraph.name] ?? null,
      verbose: options.verbose ?? false,
      logLevel,
      events,
      internalSecret,
      redisUrl: options.redisUrl,
      tracesUrl: options.tracesUrl,
    };
    const asProcess = processOptions[subgraph.name];
    if (asProcess) assertProcessable(data);
    return { subgraph, data, asProcess };
  });
  const threads = new Map<string, SubgraphThread>();
  const processes = new Map<string, SubgraphProcess>();
  const started = await Promise.allSettled(
    planned.map(async ({ subgraph, data, asProcess }) => {
      if (asProcess) processes.set(data.name, await startSubgraphProcess(data, subgraph.definition, asProcess));
      else threads.set(data.name, await startSubgraphThread(data));
    }),
  );
  const close = async () => {
    await Promise.all([...threads.values(), ...processes.values()].map((subgraph) => subgraph.close()));
  };
  const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) {
    await close();
    throw failure.reason;
  }
  const running = [...threads.values(), ...processes.values()];
  return { urls: Object.fromEntries(running.map((subgraph) => [subgraph.name, subgraph.url])), events, cache, threads, processes, internalSecret, close };
}

/** Starts every subgraph of rover.yaml (each in its own thread or process, all at once) and the gateway in front of them. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const { events, cache, threads, processes, urls, internalSecret, close: closeSubgraphs } = await startSubgraphs(options);
  const gatewayPort = options.ports.kind === 'routing' ? options.ports.gateway : 0;
  let gateway: GatewayHandle;
  try {
    const config = loadGatewayConfig({
      ...gatewayEnvironment({ urls, internalSecret, events, redisUrl: options.redisUrl }),
      GATEWAY_PORT: String(gatewayPort),
      HOST: options.host,
      LOG_LEVEL: stackLogLevel(options),
      ...(options.tracesUrl ? { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: options.tracesUrl } : {}),
      ...options.gatewayEnv,
    });
    gateway = await startGateway(config);
  } catch (error) {
    await closeSubgraphs();
    throw error;
  }

  return {
    gatewayUrl: gateway.url,
    internalSecret,
    subgraphUrls: urls,
    events,
    cache,
    gateway,
    subgraphs: threads,
    processes,
    stopSubgraph: async (name) => {
      await (threads.get(name) ?? processes.get(name))?.close();
    },
    close: async () => {
      await gateway.close();
      await closeSubgraphs();
    },
  };
}
