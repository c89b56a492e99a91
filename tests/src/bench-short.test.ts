import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { realPostgres, realRabbitMq, realRedis } from '@cloudphone/testing';
import { BENCH_PAGES } from '@cloudphone/tools/bench/pages/catalog';
import { type PagesReport, TARGET_PAGE } from '@cloudphone/tools/bench/pages/pages-report';
import { repoPath } from '@cloudphone/tools/paths';

// test-isolation: exclusive (it measures; another test beside it would only skew figures nobody reads, but it loads both cores)

/** Runs `npm run bench -- pages --short` as CI would, into a scratch results file; resolves with its exit code and output. */
function runShortBench(directory: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // The device list only: the page the targets are set for. Every page runs the same code path, and a full
    // `npm run bench -- pages` checks each page's floor against the gateways before it measures.
    const child = spawn(process.execPath, [repoPath('tools', 'dist', 'bench', 'bench.js'), 'pages', '--short', '--page', TARGET_PAGE, '--output', path.join(directory, 'BENCHMARKS.md'), '--json', path.join(directory, 'pages.json')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

const TARGET_RUNS = ['floor@1', 'floor@50', 'ours-cached@1', 'ours-cached@50', 'ours-unshared@1', 'ours-unshared@50', 'ours@1', 'ours@50', 'peer@1', 'peer@50'];

test('the pages benchmark in short mode measures the device list through ours, the peer and the floor and writes a well-formed results file', async (context) => {
  if ((await realPostgres()) === undefined || (await realRabbitMq()) === undefined || (await realRedis()) === undefined) {
    return context.skip('needs PostgreSQL, RabbitMQ and Redis: set TEST_POSTGRES_URL, TEST_AMQP_URL and TEST_REDIS_URL');
  }
  const directory = await mkdtemp(path.join(os.tmpdir(), 'bench-short-'));
  try {
    const { code, output } = await runShortBench(directory);
    assert.equal(code, 0, output.slice(-4000));

    const report = JSON.parse(await readFile(path.join(directory, 'pages.json'), 'utf8')) as PagesReport;
    assert.deepEqual(
      report.pages.map((page) => page.name),
      [TARGET_PAGE],
    );
    assert.ok(BENCH_PAGES.length >= 5, 'every page of DOMAIN.md is in the catalog');
    const markdown = await readFile(path.join(directory, 'BENCHMARKS.md'), 'utf8');
    for (const page of report.pages) {
      assert.deepEqual(page.loads.map((load) => `${load.target}@${load.connections}`).sort(), TARGET_RUNS, page.name);
      for (const load of page.loads) {
        const label = `${page.name}: ${load.target} at ${load.connections}`;
        assert.ok(load.requests > 0 && load.requestsPerSecond > 0, `${label}: no request answered`);
        assert.equal(load.errors, 0, `${label}: errors`);
        assert.ok(load.p50 > 0 && load.p50 <= load.p95 && load.p95 <= load.p99 && Number.isFinite(load.p99), `${label}: percentiles ${load.p50}/${load.p95}/${load.p99}`);
        // Read in clock ticks: a short run of a fast server may not move it, but it is always read.
        assert.ok(Number.isFinite(load.serverCpuMsPerRequest) && load.serverCpuMsPerRequest >= 0, `${label}: server CPU not measured`);
      }
      const reached = Object.entries(page.statements[0]?.perSubgraph ?? {}).filter(([, count]) => count > 0);
      assert.ok(reached.length > 0, `${page.name}: no subgraph sent a statement`);
      const heading = `## Pages: ${page.title} (ours vs Hive Gateway vs direct SQL)`;
      const start = markdown.indexOf(`${heading}\n`);
      assert.ok(start >= 0, `missing ${heading}`);
      const next = markdown.indexOf('\n## ', start + heading.length);
      const section = markdown.slice(start, next === -1 ? undefined : next);
      for (const line of ['- machine: ', '- versions: ', '- data: ', '- command: `npm run bench -- pages --short', '- measured: ']) assert.ok(section.includes(line), `${page.name}: missing ${line}`);
      assert.match(section, /@graphql-hive\/gateway \d+\.\d+\.\d+/);
      const rows = section.split('\n').filter((line) => /^\| (ours|peer|floor)[^|]* \| (1|50) \| \d+ \| [\d.]+ ms \| [\d.]+ ms \| [\d.]+ ms \| 0 \| [\d.]+ ms \|$/.test(line));
      assert.equal(rows.length, 10, section);
      assert.match(section, /\| requests\/s at concurrency 50, ours \/ peer[^|]* \| \d+\.\d\d \|/);
      assert.match(section, /\| p50 at concurrency 1, ours with the subgraph cache \/ floor[^|]* \| \d+\.\d\d \|/);
    }

    // The device list carries the targets: a verdict on each, and statements counted at 1, 20 and 100 devices.
    const deviceList = report.pages.find((page) => page.name === TARGET_PAGE);
    assert.ok(deviceList, 'the device list page was not measured');
    assert.deepEqual(deviceList.statements.map((entry) => entry.first), [1, 20, 100]);
    const [one, twenty, hundred] = deviceList.statements;
    for (const name of ['devices', 'users', 'apps', 'billing']) {
      assert.ok((twenty?.perSubgraph[name] ?? 0) > 0, `${name} sent no statement for the page`);
      assert.equal(hundred?.perSubgraph[name], twenty?.perSubgraph[name], `${name}: statements grow with the page`);
      assert.ok((one?.perSubgraph[name] ?? Infinity) <= (twenty?.perSubgraph[name] ?? 0), `${name}: more statements for one device than for 20`);
    }
    assert.match(markdown, /\| requests\/s at concurrency 50, ours \/ peer, at least 1\.5 \| \d+\.\d\d \| (met|MISSED) \|/);
    assert.match(markdown, /\| p50 at concurrency 1, ours \/ floor, at most 3 \| \d+\.\d\d \| (met|MISSED) \|/);
    assert.match(markdown, /\| p50 at concurrency 1, ours with the subgraph cache \/ floor, at most 3 \| \d+\.\d\d \| (met|MISSED) \|/);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});
