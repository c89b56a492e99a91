import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { realPostgres, realRabbitMq, realRedis } from '@cloudphone/testing';
import type { PagesReport } from '@cloudphone/tools/bench/pages/pages-report';
import { repoPath } from '@cloudphone/tools/paths';

// test-isolation: exclusive (it measures; another test beside it would only skew figures nobody reads, but it loads both cores)

/** Runs `npm run bench -- pages --short` as CI would, into a scratch results file; resolves with its exit code and output. */
function runShortBench(directory: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [repoPath('tools', 'dist', 'bench', 'bench.js'), 'pages', '--short', '--output', path.join(directory, 'BENCHMARKS.md'), '--json', path.join(directory, 'pages.json')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('the pages benchmark in short mode measures ours, the peer and the floor and writes a well-formed results file', async (context) => {
  if ((await realPostgres()) === undefined || (await realRabbitMq()) === undefined || (await realRedis()) === undefined) {
    return context.skip('needs PostgreSQL, RabbitMQ and Redis: set TEST_POSTGRES_URL, TEST_AMQP_URL and TEST_REDIS_URL');
  }
  const directory = await mkdtemp(path.join(os.tmpdir(), 'bench-short-'));
  try {
    const { code, output } = await runShortBench(directory);
    assert.equal(code, 0, output.slice(-4000));

    const report = JSON.parse(await readFile(path.join(directory, 'pages.json'), 'utf8')) as PagesReport;
    const measured = report.loads.map((load) => `${load.target}@${load.connections}`).sort();
    assert.deepEqual(measured, ['floor@1', 'floor@50', 'ours-cached@1', 'ours-cached@50', 'ours-unshared@1', 'ours-unshared@50', 'ours@1', 'ours@50', 'peer@1', 'peer@50']);
    for (const load of report.loads) {
      const label = `${load.target} at ${load.connections}`;
      assert.ok(load.requests > 0 && load.requestsPerSecond > 0, `${label}: no request answered`);
      assert.equal(load.errors, 0, `${label}: errors`);
      assert.ok(load.p50 > 0 && load.p50 <= load.p95 && load.p95 <= load.p99 && Number.isFinite(load.p99), `${label}: percentiles ${load.p50}/${load.p95}/${load.p99}`);
      assert.ok(load.serverCpuMsPerRequest > 0, `${label}: server CPU not measured`);
    }

    // Statements per request: every page size counted for every subgraph the page reaches, no more for 100 devices than for 20.
    assert.deepEqual(report.statements.map((entry) => entry.first), [1, 20, 100]);
    const [one, twenty, hundred] = report.statements;
    for (const name of ['devices', 'users', 'apps', 'billing']) {
      assert.ok((twenty?.perSubgraph[name] ?? 0) > 0, `${name} sent no statement for the page`);
      assert.equal(hundred?.perSubgraph[name], twenty?.perSubgraph[name], `${name}: statements grow with the page`);
      assert.ok((one?.perSubgraph[name] ?? Infinity) <= (twenty?.perSubgraph[name] ?? 0), `${name}: more statements for one device than for 20`);
    }

    const markdown = await readFile(path.join(directory, 'BENCHMARKS.md'), 'utf8');
    assert.match(markdown, /^## Pages: admin device list \(ours vs Hive Gateway vs direct SQL\)$/m);
    for (const line of ['- machine: ', '- versions: ', '- data: ', '- command: `npm run bench -- pages --short', '- measured: ']) assert.ok(markdown.includes(line), `missing ${line}`);
    assert.match(markdown, /@graphql-hive\/gateway \d+\.\d+\.\d+/);
    const rows = markdown.split('\n').filter((line) => /^\| (ours|peer|floor)[^|]* \| (1|50) \| \d+ \| [\d.]+ ms \| [\d.]+ ms \| [\d.]+ ms \| 0 \| [\d.]+ ms \|$/.test(line));
    assert.equal(rows.length, 10, markdown);
    assert.match(markdown, /\| requests\/s at concurrency 50, ours \/ peer, at least 1\.5 \| \d+\.\d\d \| (met|MISSED) \|/);
    assert.match(markdown, /\| p50 at concurrency 1, ours \/ floor, at most 3 \| \d+\.\d\d \| (met|MISSED) \|/);
    assert.match(markdown, /\| p50 at concurrency 1, ours with the subgraph cache \/ floor, at most 3 \| \d+\.\d\d \| (met|MISSED) \|/);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});
