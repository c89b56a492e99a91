import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { workerData } from 'node:worker_threads';
import type { SubgraphWorkerData } from './protocol.js';
import { WORKER_BUNDLES_DIR } from './worker-bundles.js';

/**
 * Runs a subgraph's CommonJS bundle in this worker thread with V8's code
 * cache: the bytecode of every function compiled by the time a thread was
 * serving, kept beside the bundles. A thread started with it skips most
 * parsing and compiling (Node 20 caches no code for ES modules, hence
 * CommonJS bundles). The cache is named after the bundle's content hash, as
 * V8 itself checks little more than the source's length; V8 rejects one made
 * by another Node version or with other flags, and the thread then compiles
 * as usual and writes a fresh one.
 */
const { name } = workerData as SubgraphWorkerData;
const bundle = fileURLToPath(new URL(`${name}.cjs`, WORKER_BUNDLES_DIR));
const cacheFolder = fileURLToPath(new URL('code-cache/', WORKER_BUNDLES_DIR));

function readCache(cacheFile: string): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/** Written under a temporary name and renamed: threads starting at once never read half of one. A read-only install just goes without. */
function writeCache(script: vm.Script, cacheFile: string): void {
  try {
    mkdirSync(cacheFolder, { recursive: true });
    const partial = `${cacheFile}.${randomUUID()}.partial`;
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, cacheFile);
  } catch {
    // No cache: the next thread compiles as this one did.
  }
}

/**
 * Compiles the bundle in the CommonJS module wrapper, as Node's own loader
 * applies it. Only the script keeps the (wrapped) source: the file's bytes,
 * the unwrapped text and the cache are this function's, and go with it.
 */
function compile(): { script: vm.Script; cacheFile: string; cached: boolean } {
  const bytes = readFileSync(bundle);
  const cacheFile = path.join(cacheFolder, `${name}-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.v8`);
  const cachedData = readCache(cacheFile);
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${bytes.toString('utf8')}\n})`, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  return { script, cacheFile, cached: cachedData !== undefined && script.cachedDataRejected !== true };
}

const { script, cacheFile, cached } = compile();
const module: { exports: { default?: Promise<void> } } = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
// The worker's body resolves once it has printed, or serves: by then the functions a start runs are compiled.
await module.exports.default;
if (!cached) writeCache(script, cacheFile);
