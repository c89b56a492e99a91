import { readFileSync, statSync } from 'node:fs';

/** Where `npm run build` writes one bundled worker per subgraph (tools/src/build/bundle-workers.ts). */
export const WORKER_BUNDLES_DIR = new URL('../workers/', import.meta.url);

/** Beside the bundles: the tsc build records of the workspaces they hold, relative to the bundles' folder. */
export const BUILD_RECORDS_FILE = 'build-records.json';

/** Runs a subgraph's bundle with V8's code cache (bundled-worker.ts). */
const BUNDLED_WORKER = new URL('./bundled-worker.js', import.meta.url);

/** The plain worker, which imports the subgraph's package: used when there is no current bundle. */
export const PLAIN_WORKER = new URL('./subgraph-worker.js', import.meta.url);

function modifiedMs(file: URL): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Subgraph `name`'s bundle in `folder` (a URL ending in `/`) if it holds the
 * code tsc last compiled: no workspace it holds was recompiled after it was
 * made, as by a lone `tsc -b` after `npm run build`. Undefined otherwise.
 */
export function currentBundle(folder: URL, name: string): URL | undefined {
  const bundle = new URL(`${name}.cjs`, folder);
  const made = modifiedMs(bundle);
  if (made === undefined) return undefined;
  let records: unknown;
  try {
    records = JSON.parse(readFileSync(new URL(BUILD_RECORDS_FILE, folder), 'utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(records) || records.length === 0) return undefined;
  const current = records.every((record) => typeof record === 'string' && (modifiedMs(new URL(record, folder)) ?? Infinity) <= made);
  return current ? bundle : undefined;
}

/** The file a thread for subgraph `name` runs: the bundle loader when the build made a current bundle, else the plain worker. */
export function workerFileFor(name: string): URL {
  return currentBundle(WORKER_BUNDLES_DIR, name) ? BUNDLED_WORKER : PLAIN_WORKER;
}
