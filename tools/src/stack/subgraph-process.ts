import { type ChildProcess, spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { subgraphProcessEnv } from '@cloudphone/config';
import { type DatabaseTarget, openDatabase } from '@cloudphone/db';
import type { SubgraphDefinition } from '@cloudphone/subgraph-kit';
import { REPO_ROOT, repoPath } from '../paths.js';
import type { SubgraphWorkerData } from './protocol.js';
import { seedIfEmpty } from './seed.js';

/** A subgraph the stack runs as a child process (`node subgraphs/<name>/dist/main.js`) instead of a thread. */
export interface SubgraphProcessOptions {
  /** Extra environment of the process (e.g. a billing crash hook), over what the stack sets. */
  env?: Record<string, string>;
}

/** How one run of a subgraph process ended. */
export interface SubgraphProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A subgraph running as its own process, which a test may kill at any point
 * and start again while the rest of the stack keeps running.
 */
export interface SubgraphProcess {
  readonly name: string;
  /** The same across restarts: every run binds the port the stack chose. */
  readonly url: string;
  /** Whether the stack loaded the seed into its database before the first run. */
  readonly seeded: boolean;
  /** The process id of the current run. */
  readonly pid: number | undefined;
  /** Settles when the current run ends (after `restart`, the new run's). */
  readonly exited: Promise<SubgraphProcessExit>;
  /** Sends `signal` to the current run (default SIGKILL: a crash, no shutdown); resolves when it has ended. */
  kill(signal?: NodeJS.Signals): Promise<SubgraphProcessExit>;
  /**
   * Starts it again on the same port, first stopping the current run (SIGTERM)
   * if it still runs. `env` replaces the extra environment (default: the
   * previous run's). Resolves once it serves.
   */
  restart(env?: Record<string, string>): Promise<void>;
  /** The last lines (up to 100) the current run wrote to stdout and stderr. */
  output(): string[];
  /** Stops it for good: SIGTERM (a clean shutdown), SIGKILL if it has not ended after 10 s. */
  close(): Promise<void>;
}

type ServeData = Extract<SubgraphWorkerData, { mode: 'serve' }>;

const KEPT_LINES = 100;
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
/** What run-process prints once the subgraph listens. */
const READY_LINE = 'subgraph ready at';

/** Children still running, killed if the process that started them exits first (a test runner that crashed). */
const running = new Set<ChildProcess>();
let reaperInstalled = false;

function trackChild(child: ChildProcess): void {
  if (!reaperInstalled) {
    process.once('exit', () => {
      for (const orphan of running) orphan.kill('SIGKILL');
    });
    reaperInstalled = true;
  }
  running.add(child);
}

/**
 * Why `data` cannot run as a process, thrown before anything starts: a
 * process shares nothing in memory with the stack, so its database must be
 * a server (PostgreSQL), and its events, revocations and cache must go
 * through RabbitMQ and Redis to reach the stack's namespace.
 */
export function assertProcessable(data: ServeData): asserts data is ServeData & { target: Extract<DatabaseTarget, { kind: 'postgres' }> } {
  const problems: string[] = [];
  if (data.target.kind !== 'postgres') problems.push(`its database is embedded PGlite, which only the process that opens it can use: give the stack PostgreSQL (TEST_POSTGRES_URL)`);
  if (data.events.amqpUrl === undefined) problems.push('the stack sends events in process, which a child process cannot join: give the stack RabbitMQ (events.amqpUrl)');
  if (data.redisUrl === undefined) problems.push('the stack shares revocations and the configuration cache in process, which a child process cannot join: give the stack Redis (redisUrl)');
  if (problems.length > 0) throw new Error(`the ${data.name} subgraph cannot run as a process:\n  - ${problems.join('\n  - ')}`);
}

/** Migrates the database and loads the seed when it is empty, as a subgraph thread does on start (a process never seeds). */
async function prepareDatabase(definition: SubgraphDefinition<unknown>, data: ServeData): Promise<boolean> {
  const database = await openDatabase({ service: data.name, target: data.target, migrationsFolder: definition.migrationsFolder });
  try {
    return await seedIfEmpty(definition, database, data.seed);
  } finally {
    await database.close();
  }
}

interface Run {
  child: ChildProcess;
  exited: Promise<SubgraphProcessExit>;
  done: boolean;
  lines: string[];
  ready: Promise<void>;
}

function describeExit(exit: SubgraphProcessExit): string {
  return exit.signal === null ? `code ${exit.code}` : `signal ${exit.signal}`;
}

function launch(name: string, main: string, env: NodeJS.ProcessEnv, verbose: boolean): Run {
  const child = spawn(process.execPath, [main], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  const lines: string[] = [];
  let onReady: () => void = () => undefined;
  const follow = (stream: Readable | null, echo: Writable) => {
    if (!stream) return;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      lines.push(line);
      if (lines.length > KEPT_LINES) lines.shift();
      if (verbose) echo.write(`[${name}] ${line}\n`);
      if (line.includes(READY_LINE)) onReady();
    });
  };
  follow(child.stdout, process.stdout);
  follow(child.stderr, process.stderr);
  const run: Run = {
    child,
    lines,
    done: false,
    // `close`, not `exit`: the output is all read by then, for the error below.
    exited: new Promise((resolve) => {
      child.on('error', (error) => {
        lines.push(`could not start: ${error.message}`);
        resolve({ code: null, signal: null });
      });
      child.once('close', (code, signal) => resolve({ code, signal }));
    }).then((exit) => {
      run.done = true;
      running.delete(child);
      return exit as SubgraphProcessExit;
    }),
    ready: Promise.resolve(),
  };
  run.ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the ${name} subgraph process did not serve within ${READY_TIMEOUT_MS} ms; its last output:\n${lines.join('\n')}`));
      child.kill('SIGKILL');
    }, READY_TIMEOUT_MS);
    onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    void run.exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`the ${name} subgraph process exited (${describeExit(exit)}) before it was ready; its last output:\n${lines.join('\n')}`));
    });
  });
  return run;
}

/** Ends a run: SIGTERM, then SIGKILL after the grace period. */
async function stop(run: Run): Promise<void> {
  if (run.done) return;
  run.child.kill('SIGTERM');
  const timer = setTimeout(() => run.child.kill('SIGKILL'), STOP_GRACE_MS);
  await run.exited;
  clearTimeout(timer);
}

/**
 * Starts a subgraph as its own process with the environment its
 * `readSubgraphProcessSettings` reads: the stack's database, port, host,
 * peers, broker, Redis, events namespace and secret, plus `options.env`.
 * The stack seeds its database first; resolves once it serves.
 */
export async function startSubgraphProcess(data: ServeData, definition: SubgraphDefinition<unknown>, options: SubgraphProcessOptions = {}): Promise<SubgraphProcess> {
  assertProcessable(data);
  const main = repoPath('subgraphs', data.name, 'dist', 'main.js');
  await access(main).catch(() => {
    throw new Error(`the ${data.name} subgraph process needs ${main}: build first (npm run build)`);
  });
  const baseEnv = subgraphProcessEnv(data.name, {
    databaseUrl: data.target.url,
    port: data.port,
    host: data.host,
    amqpUrl: data.events.amqpUrl,
    redisUrl: data.redisUrl,
    eventsNamespace: data.events.namespace,
    peers: data.peers,
    internalAuthSecret: data.internalSecret,
    logLevel: data.logLevel,
    tracesUrl: data.tracesUrl,
  });
  const seeded = await prepareDatabase(definition, data);
  const host = data.host === '0.0.0.0' ? '127.0.0.1' : data.host;
  const url = `http://${host}:${data.port}/graphql`;

  let extraEnv = options.env ?? {};
  // Like a thread, a process sees the stack's own environment; the stack's settings and the extra env win.
  // Its output goes to a pipe and into error messages: plain text, without Nest's colours.
  const start = (): Run => launch(data.name, main, { ...process.env, NO_COLOR: '1', ...baseEnv, ...extraEnv }, data.verbose);
  let current = start();
  await current.ready;

  // Restarts and the final close run one at a time: a run has ended before the next starts.
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    name: data.name,
    url,
    seeded,
    get pid() {
      return current.child.pid;
    },
    get exited() {
      return current.exited;
    },
    kill: (signal = 'SIGKILL') => {
      if (!current.done) current.child.kill(signal);
      return current.exited;
    },
    restart: (env) =>
      inTurn(async () => {
        if (closed) throw new Error(`the ${data.name} subgraph process is closed`);
        await stop(current);
        if (env !== undefined) extraEnv = env;
        current = start();
        await current.ready;
      }),
    output: () => [...current.lines],
    close: () =>
      inTurn(async () => {
        closed = true;
        await stop(current);
      }),
  };
}
