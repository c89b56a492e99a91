import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { type ProcessUsage, processUsage } from '../gateway-child.js';

/** The parent -> a server process: its settings once, then close. */
type ParentMessage<TSettings> = { type: 'start'; settings: TSettings } | { type: 'close' };
/** A server process -> the parent. */
type ChildMessage = { type: 'ready'; url: string } | { type: 'failed'; message: string };

/** A benchmark server (peer gateway, direct-SQL floor) running as its own OS process. */
export interface ServerChild {
  url: string;
  pid: number;
  usage(): Promise<ProcessUsage>;
  close(): Promise<void>;
}

/**
 * Forks `entry` and hands it `settings` over the IPC channel (settings never
 * travel in argv or the environment, where `ps` would show them); resolves
 * once it serves.
 */
export async function startServerChild<TSettings>(entry: URL, settings: TSettings): Promise<ServerChild> {
  const child: ChildProcess = fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const answer = new Promise<ChildMessage>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${entry.pathname} exited with code ${String(code)} before it was ready`)));
    child.once('message', (message: ChildMessage) => resolve(message));
  });
  child.send({ type: 'start', settings } satisfies ParentMessage<TSettings>);
  const ready = await answer;
  if (ready.type !== 'ready' || child.pid === undefined) {
    child.kill();
    throw new Error(`${entry.pathname}: ${ready.type === 'failed' ? ready.message : 'no pid'}`);
  }
  const pid = child.pid;
  return {
    url: ready.url,
    pid,
    usage: () => processUsage(pid),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ type: 'close' } satisfies ParentMessage<TSettings>);
      await exited;
    },
  };
}

/**
 * The child's side: waits for its settings, starts serving, reports the URL,
 * and stops when the parent says close (or goes away).
 */
export function serveForParent<TSettings>(start: (settings: TSettings) => Promise<{ url: string; close(): Promise<void> }>): void {
  if (!process.send) throw new Error('a benchmark server runs as a forked child with an IPC channel');
  const send = (message: ChildMessage): void => {
    process.send?.(message);
  };
  process.once('message', (first: ParentMessage<TSettings>) => {
    if (first.type !== 'start') process.exit(0);
    start(first.settings).then(
      (server) => {
        const stop = () => void server.close().finally(() => process.exit(0));
        process.on('message', (next: ParentMessage<TSettings>) => {
          if (next.type === 'close') stop();
        });
        process.once('disconnect', stop);
        send({ type: 'ready', url: server.url });
      },
      (error: unknown) => {
        send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
        process.exit(1);
      },
    );
  });
}
