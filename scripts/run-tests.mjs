#!/usr/bin/env node
// Runs every compiled test file (`dist/**/*.test.js` of every workspace) with node's test runner,
// one file at a time (integration tests start whole stacks), and fails when no test ran.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const workspaceRoots = ['packages', 'subgraphs', 'gateway', 'tools', 'tests'];
const only = process.argv.slice(2);

async function findTests(directory) {
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
  const found = [];
  for (const entry of entries) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) found.push(...(await findTests(full)));
    else if (entry.name.endsWith('.test.js') && full.includes(`${path.sep}dist${path.sep}`)) found.push(full);
  }
  return found;
}

const files = (await Promise.all(workspaceRoots.map((name) => findTests(path.join(root, name))))).flat().sort();
const selected = only.length === 0 ? files : files.filter((file) => only.some((pattern) => file.includes(pattern)));
if (selected.length === 0) {
  console.error('no test files found: build first (npm run build)');
  process.exit(1);
}

const child = spawn(process.execPath, ['--test', '--test-reporter=tap', '--test-concurrency=1', '--test-timeout=600000', ...selected], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4000);
});
child.on('close', (code) => {
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tail)?.[1] ?? 'NaN');
  const tests = count('tests');
  if (!(tests > 0)) {
    console.error('no test ran: failing the run');
    process.exit(1);
  }
  console.log(`\n${count('pass')} passed, ${count('fail')} failed, ${count('skipped')} skipped`);
  process.exit(code ?? 1);
});
