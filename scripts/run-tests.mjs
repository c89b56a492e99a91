#!/usr/bin/env node
// Runs every compiled test file (`dist/**/*.test.js` of every workspace) with node's test runner and
// fails when no test passed (none ran, or all were skipped). Usage: node scripts/run-tests.mjs [--lanes N] [path filter...]
//
// Integration tests start whole stacks and spend much of their time waiting (on events, sweeps,
// timeouts), so files run in lanes: N files at once (default 3: measured on 2 cores, 3 lanes took 19.7 min
// where 2 took 22.6, with the machine 91% busy; more would overload it). A file that must have the machine to
// itself (it restarts the shared broker, or asserts on timings another file's load would skew) says
// so with a `test-isolation: exclusive` comment; those run first, one at a time, before the lanes.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const workspaceRoots = ['packages', 'subgraphs', 'gateway', 'tools', 'tests'];
const EXCLUSIVE_MARKER = 'test-isolation: exclusive';
// A file that takes minutes says so (`// test-duration: long (why)`): the lanes start it first, so it does not
// begin near the end and run on alone while the other lanes sit idle.
const LONG_MARKER = 'test-duration: long';
const { values, positionals: only } = parseArgs({ allowPositionals: true, options: { lanes: { type: 'string', default: '3' } } });
const lanes = Number(values.lanes);
if (!Number.isInteger(lanes) || lanes < 1) {
  console.error(`--lanes takes a positive whole number, not ${values.lanes}`);
  process.exit(2);
}

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
const exclusive = [];
const long = [];
const rest = [];
for (const file of selected) {
  const text = await readFile(file, 'utf8');
  (text.includes(EXCLUSIVE_MARKER) ? exclusive : text.includes(LONG_MARKER) ? long : rest).push(file);
}
const shared = [...long, ...rest];

const timingsDir = await mkdtemp(path.join(tmpdir(), 'cloudphone-test-timings-'));
const timingsReporter = path.join(root, 'scripts', 'file-timings-reporter.mjs');

/** One `node --test` run over `group`, `concurrency` files at a time; resolves with its exit code and summary counts. */
function runGroup(group, concurrency, timingsFile) {
  return new Promise((resolve) => {
    const reporters = ['--test-reporter=tap', '--test-reporter-destination=stdout', `--test-reporter=${timingsReporter}`, `--test-reporter-destination=${timingsFile}`];
    // --test-force-exit: a file whose tests are over ends even if something it started still holds the event loop
    // (a stack that failed half-way through starting once kept a file alive until the 10-minute timeout).
    const child = spawn(process.execPath, ['--test', '--test-force-exit', ...reporters, `--test-concurrency=${concurrency}`, '--test-timeout=600000', ...group], {
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
      resolve({ code: code ?? 1, tests: count('tests'), pass: count('pass'), fail: count('fail'), cancelled: count('cancelled'), skipped: count('skipped') });
    });
  });
}

const results = [];
const started = Date.now();
if (exclusive.length > 0) results.push(await runGroup(exclusive, 1, path.join(timingsDir, 'exclusive')));
const exclusiveSeconds = (Date.now() - started) / 1000;
if (shared.length > 0) results.push(await runGroup(shared, lanes, path.join(timingsDir, 'lanes')));
const lanesSeconds = (Date.now() - started) / 1000 - exclusiveSeconds;

/** Where the time went: the slowest files (a file in a lane shares the machine with the others). */
async function printSlowestFiles(count) {
  const lines = (await Promise.all(['exclusive', 'lanes'].map((name) => readFile(path.join(timingsDir, name), 'utf8').catch(() => '')))).join('').split('\n').filter(Boolean);
  const timings = lines.map((line) => line.split('\t')).map(([seconds, file]) => ({ seconds: Number(seconds), file: path.relative(root, file) }));
  timings.sort((a, b) => b.seconds - a.seconds);
  console.log(`\nfiles alone: ${exclusiveSeconds.toFixed(0)} s; lanes: ${lanesSeconds.toFixed(0)} s. Slowest files:`);
  for (const { seconds, file } of timings.slice(0, count)) console.log(`${seconds.toFixed(1).padStart(7)} s  ${file}`);
}
await printSlowestFiles(15);
await rm(timingsDir, { recursive: true, force: true });
const total = (name) => results.reduce((sum, result) => sum + result[name], 0);
// A run where nothing passed (no test, or every test skipped) proves nothing.
if (!(total('pass') > 0)) {
  console.error(total('tests') > 0 ? 'every test was skipped: failing the run' : 'no test ran: failing the run');
  process.exit(1);
}
console.log(`\n${total('pass')} passed, ${total('fail')} failed, ${total('cancelled')} cancelled, ${total('skipped')} skipped (${exclusive.length} files alone, ${shared.length} in ${lanes} lanes)`);
process.exit(results.some((result) => result.code !== 0) ? 1 : 0);
