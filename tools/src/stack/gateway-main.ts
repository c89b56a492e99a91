import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { repoPath } from '../paths.js';
import { type ProcessUsage, processUsage } from '../bench/gateway-child.js';

/** What a gateway process needs to know of the subgraphs it fronts. */
export interface GatewayUpstream {
  /** Each subgraph's URL by name. */
  urls: Readonly<Record<string, string>>;
  /** The secret the subgraphs verify identities with. */
  internalSecret: string;
  /** Where the subgraphs' events travel (RabbitMQ URL unless in process) and their namespace. */
  events: { amqpUrl?: string | undefined; namespace: string };
  redisUrl?: string | undefined;
}

/**
 * The environment of a gateway process in front of running subgraphs, as
 * production configures one: the committed supergraph with each subgraph's
 * `<NAME>_SUBGRAPH_URL`, their shared secret, events namespace and servers.
 * Callers add the port and anything of their own.
 */
export function gatewayEnvironment(upstream: GatewayUpstream): Record<string, string> & { INTERNAL_AUTH_SECRET: string } {
  return {
    HOST: '127.0.0.1',
    SUPERGRAPH_PATH: repoPath('schema', 'supergraph.graphql'),
    EVENTS_NAMESPACE: upstream.events.namespace,
    INTERNAL_AUTH_SECRET: upstream.internalSecret,
    ...(upstream.events.amqpUrl ? { AMQP_URL: upstream.events.amqpUrl } : {}),
    ...(upstream.redisUrl ? { REDIS_URL: upstream.redisUrl } : {}),
    ...Object.fromEntries(Object.entries(upstream.urls).map(([name, url]) => [`${name.toUpperCase()}_SUBGRAPH_URL`, url])),
  };
}

/** What a gateway process printed is kept up to this many characters (its latest). */
const OUTPUT_KEPT = 64 * 1024;

/** The gateway as production runs it (`node gateway/dist/main.js`), with every process it forked. */
export interface GatewayMain {
  url: string;
  pid: number;
  /** The latest of what it printed, stdout (readiness) and stderr (its JSON log lines) together. */
  output(): string;
  /** Sends the process a signal (SIGHUP: serve the supergraph file anew). */
  signal(name: NodeJS.Signals): void;
  /** CPU and memory of the gateway's process and its workers together. */
  usage(): Promise<ProcessUsage>;
  /** The pids of the processes it forked (GATEWAY_WORKERS > 1), as the kernel lists them now. */
  workerPids(): Promise<number[]>;
  close(): Promise<void>;
}

/** The pids a process forked (its workers), as the kernel lists them. */
async function childrenOf(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.trim() === '' ? [] : text.trim().split(/\s+/).map(Number);
}

/**
 * Starts `gateway/dist/main.js` with `env` (GATEWAY_PORT must be a free port:
 * the workers of a cluster share it) and resolves once it prints that it serves.
 */
export async function startGatewayMain(env: Record<string, string>): Promise<GatewayMain> {
  const child = spawn(process.execPath, [repoPath('gateway', 'dist', 'main.js')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = /gateway ready at (\S+)/.exec(output);
      if (match?.[1]) {
        child.stdout.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the gateway exited with code ${String(code)} before serving: ${output.slice(-2000)}`)));
  });
  const pid = child.pid ?? -1;
  return {
    url,
    pid,
    output: () => output,
    signal: (name) => {
      child.kill(name);
    },
    usage: async () => {
      const all = await Promise.all([pid, ...(await childrenOf(pid))].map(processUsage));
      return all.reduce((sum, usage) => ({ rssBytes: sum.rssBytes + usage.rssBytes, peakRssBytes: sum.peakRssBytes + usage.peakRssBytes, cpuMs: sum.cpuMs + usage.cpuMs }));
    },
    workerPids: () => childrenOf(pid),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
