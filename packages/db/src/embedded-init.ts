import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

const INIT_WORKER = new URL('./embedded-init-worker.js', import.meta.url);

export function isInitialised(dataDir: string): boolean {
  return existsSync(path.join(dataDir, 'PG_VERSION'));
}

/**
 * Creates an embedded database folder in a short-lived thread. initdb leaves
 * about 500 MB of WebAssembly memory behind in the thread that ran it; a
 * thread that only reopens the folder never pays it. Run one at a time to
 * keep the peak at one initdb.
 */
export async function initialiseEmbeddedDataDir(dataDir: string): Promise<void> {
  if (isInitialised(dataDir)) return;
  await mkdir(dataDir, { recursive: true });
  await new Promise<void>((resolve, reject) => {
    const worker = new Worker(INIT_WORKER, { workerData: { dataDir } });
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`initialising ${dataDir} failed (exit ${code})`))));
  });
}
