import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@cloudphone/observability';

/** A worker's word to the primary that it serves. */
const READY = 'gateway-worker-ready';
/** How soon a worker that died is replaced, so a crash loop does not spin. */
const RESPAWN_DELAY_MS = 1_000;

/** Tells the primary this worker serves (a no-op outside a cluster). */
export function reportWorkerReady(): void {
  if (cluster.isWorker) process.send?.(READY);
}

/**
 * The primary of a gateway cluster: forks `count` workers that share the
 * listening port (node:cluster hands connections out round-robin), resolves
 * once all serve, replaces a worker that dies, passes SIGHUP (reload the
 * supergraph) on to every worker, and on SIGINT/SIGTERM stops them and exits.
 * The primary itself serves nothing and holds no connection.
 */
export function runPrimary(count: number, logger: Logger): Promise<void> {
  let stopping = false;
  const fork = (): Worker => cluster.fork();
  const workers = () => Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.error(`gateway worker ${worker.process.pid ?? '?'} exited (${signal ?? `code ${String(code)}`}); starting another`);
    // Not unref'd: with every worker gone this timer is all that keeps the primary alive to replace them.
    setTimeout(() => {
      if (!stopping) fork();
    }, RESPAWN_DELAY_MS);
  });
  process.on('SIGHUP', () => {
    for (const worker of workers()) worker.process.kill('SIGHUP');
  });
  const stop = () => {
    stopping = true;
    const running = workers();
    let left = running.length;
    if (left === 0) process.exit(0);
    for (const worker of running) {
      worker.once('exit', () => {
        left -= 1;
        if (left === 0) process.exit(0);
      });
      worker.process.kill('SIGTERM');
    }
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise((resolve, reject) => {
    let ready = 0;
    cluster.on('message', (_worker, message: unknown) => {
      if (message === READY && (ready += 1) === count) resolve();
    });
    cluster.once('exit', (worker, code) => {
      if (ready < count) reject(new Error(`gateway worker ${worker.process.pid ?? '?'} exited with code ${String(code)} before serving`));
    });
    for (let index = 0; index < count; index += 1) fork();
  });
}

export const isClusterPrimary = (workers: number): boolean => workers > 1 && cluster.isPrimary;
