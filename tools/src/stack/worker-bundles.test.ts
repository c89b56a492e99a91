import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { BUILD_RECORDS_FILE, currentBundle } from './worker-bundles.js';

let root = '';
let folder: URL;
const at = (seconds: number) => new Date(1_800_000_000_000 + seconds * 1000);

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'worker-bundles-'));
  await mkdir(path.join(root, 'tools', 'dist', 'workers'), { recursive: true });
  await mkdir(path.join(root, 'packages', 'db', 'dist'), { recursive: true });
  folder = pathToFileURL(path.join(root, 'tools', 'dist', 'workers') + path.sep);
  await writeFile(path.join(root, 'tools', 'dist', 'workers', 'devices.cjs'), '');
  await writeFile(path.join(root, 'packages', 'db', 'dist', '.tsbuildinfo'), '{}');
  await writeFile(path.join(root, 'tools', 'dist', 'workers', BUILD_RECORDS_FILE), JSON.stringify(['../../../packages/db/dist/.tsbuildinfo']));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function compiledAt(record: number, bundle: number): Promise<void> {
  await utimes(path.join(root, 'packages', 'db', 'dist', '.tsbuildinfo'), at(record), at(record));
  await utimes(path.join(root, 'tools', 'dist', 'workers', 'devices.cjs'), at(bundle), at(bundle));
}

test('a bundle made after the last compile of every workspace it holds is run', async () => {
  await compiledAt(0, 10);
  assert.equal(currentBundle(folder, 'devices')?.href, new URL('devices.cjs', folder).href);
});

test('a bundle older than a compile of a workspace it holds (a lone tsc -b since) is not run', async () => {
  await compiledAt(20, 10);
  assert.equal(currentBundle(folder, 'devices'), undefined);
});

test('no bundle for the subgraph, or a missing build record, means the plain worker', async () => {
  await compiledAt(0, 10);
  assert.equal(currentBundle(folder, 'users'), undefined);
  await writeFile(path.join(root, 'tools', 'dist', 'workers', BUILD_RECORDS_FILE), JSON.stringify(['../../../packages/gone/dist/.tsbuildinfo']));
  assert.equal(currentBundle(folder, 'devices'), undefined);
  await writeFile(path.join(root, 'tools', 'dist', 'workers', BUILD_RECORDS_FILE), JSON.stringify(['../../../packages/db/dist/.tsbuildinfo']));
});
