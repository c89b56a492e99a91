import { type ChildProcess, fork } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import type { GatewayMessage, GatewayRequest } from './subscription-protocol.js';

const ENTRY = new URL('./gateway-process.js', import.meta.url);

export type GatewayMemory = Omit<Extract<GatewayMessage, { type: 'memory' }>, 'type'>;

/** The kernel's view of a process: resident set now and at its peak, CPU time used so far. */
export interface ProcessUsage {
  rssBytes: number;
  peakRssBytes: number;
  cpuMs: number;
}

export interface GatewayChild {
  url: string;
  pid: number;
  /** process.memoryUsage() inside the gateway, after a full GC. */
  memory(): Promise<GatewayMemory>;
  usage(): Promise<ProcessUsage>;
  close(): Promise<void>;
}

/** /proc/<pid>/status (VmRSS, VmHWM) and /proc/<pid>/stat (utime + stime, in clock ticks of 10 ms). */
export async function processUsage(pid: number): Promise<ProcessUsage> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  // The command name (field 2) may hold spaces; fields are counted after its closing parenthesis.
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line (indexes 11 and 12 after the command name), in ticks of 1/100 s.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM'), cpuMs: ticks * 10 };
}

function ask(child: ChildProcess, request: GatewayRequest): Promise<GatewayMessage> {
  return new Promise((resolve, reject) => {
    const onExit = () => reject(new Error('the gateway process exited'));
    child.once('exit', onExit);
    child.once('message', (message: GatewayMessage) => {
      child.off('exit', onExit);
      resolve(message);
    });
    child.send(request);
  });
}

/**
 * Forks the gateway process with the given environment; resolves once it
 * serves. `heapMib` caps V8's old space (--max-old-space-size) as a memory-
 * limited deployment would; without it V8 sizes the heap from this machine's RAM.
 * `env` must carry INTERNAL_AUTH_SECRET, the subgraphs' (`fleet.internalSecret`):
 * without it the gateway signs with another secret and every subgraph refuses it.
 */
export async function startGatewayChild(env: Record<string, string> & { INTERNAL_AUTH_SECRET: string }, heapMib?: number): Promise<GatewayChild> {
  if (!env.INTERNAL_AUTH_SECRET) throw new Error('the gateway process needs INTERNAL_AUTH_SECRET, the secret its subgraphs share');
  const execArgv = ['--expose-gc', ...(heapMib === undefined ? [] : [`--max-old-space-size=${heapMib}`])];
  const child = fork(ENTRY, [], { env: { ...process.env, ...env }, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<GatewayMessage>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the gateway process exited with code ${String(code)} before it was ready`)));
    child.once('message', resolve);
  });
  if (ready.type !== 'ready' || child.pid === undefined) throw new Error(`gateway process: unexpected ${ready.type}`);
  const pid = child.pid;
  return {
    url: ready.url,
    pid,
    memory: async () => {
      const answer = await ask(child, { type: 'memory' });
      if (answer.type !== 'memory') throw new Error(`gateway process: unexpected ${answer.type}`);
      const { type: _type, ...memory } = answer;
      return memory;
    },
    usage: () => processUsage(pid),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ type: 'close' } satisfies GatewayRequest);
      await exited;
    },
  };
}
