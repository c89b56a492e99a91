import { performance } from 'node:perf_hooks';
import { databaseUrlOn, dropDatabase } from '@cloudphone/db';
import { connect } from 'amqplib';
import postgres from 'postgres';
import { loadBenchConfig } from '../config.js';
import { readRoverConfig } from '../rover-config.js';
import { buildDemoDataset } from '../seed/dataset.js';
import { startStack } from '../stack/stack.js';
import { signInAsDemoAdmin } from './gateway-auth.js';
import { machineLine, percentile, writeSection } from './results-file.js';

/**
 * Event lag: from the commit of a user change (the updateUser mutation has
 * answered) to the owner copy being visible in the devices database, over
 * 1,000 updates on real PostgreSQL and RabbitMQ.
 */
export async function benchEventLag(updates = 1_000): Promise<string> {
  const config = loadBenchConfig();
  const names = (await readRoverConfig()).subgraphs.map((subgraph) => subgraph.name);
  const run = Date.now().toString(36);
  const urls = Object.fromEntries(names.map((name) => [name, databaseUrlOn(config.postgresUrl, `cloudphone_bench_${run}_${name}`)]));
  const dataset = buildDemoDataset();
  const owner = dataset.users.users.find((user) => dataset.devices.devices.some((device) => device.userId === user.id));
  if (!owner?.id) throw new Error('the demo seed has a user with devices');
  const stack = await startStack({
    databases: Object.fromEntries(names.map((name) => [name, { kind: 'postgres' as const, url: urls[name] ?? '' }])),
    ports: { kind: 'free' },
    host: '127.0.0.1',
    seed: { ...dataset },
    events: { amqpUrl: config.amqpUrl, namespace: `bench-${run}` },
  });
  const devices = postgres(urls['devices'] ?? '', { max: 1 });
  const lags: number[] = [];
  let versions = '';
  try {
    const [server] = await devices<{ server_version: string }[]>`show server_version`;
    const broker = await connect(config.amqpUrl);
    versions = `PostgreSQL ${server?.server_version ?? '?'}, RabbitMQ ${String(broker.connection.serverProperties.version)}, drizzle-orm 0.45, amqplib 2.3 + amqp-connection-manager 5`;
    await broker.close();
    // Once, before the timed updates (a sign-in is an argon2 check): every updateUser carries this token.
    const { httpHeaders } = await signInAsDemoAdmin(stack.gatewayUrl);
    for (let version = 2; version <= updates + 1; version += 1) {
      const response = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: httpHeaders,
        body: JSON.stringify({ query: 'mutation($id: ID!, $name: String!) { updateUser(id: $id, input: { displayName: $name }) { version } }', variables: { id: owner.id, name: `Lag ${version}` } }),
      });
      const body = (await response.json()) as { data?: { updateUser: { version: number } }; errors?: unknown };
      const committed = performance.now();
      if (body.data?.updateUser.version !== version) throw new Error(`unexpected answer: ${JSON.stringify(body)}`);
      for (;;) {
        const [row] = await devices<{ version: number }[]>`select min(owner_version)::int as version from devices where user_id = ${owner.id}`;
        if ((row?.version ?? 0) >= version) break;
      }
      lags.push(performance.now() - committed);
    }
  } finally {
    await devices.end();
    await stack.close();
    await Promise.all(Object.values(urls).map((url) => dropDatabase(url)));
  }
  const sorted = [...lags].sort((a, b) => a - b);
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(sorted, p)) as [number, number, number];
  return `Commit of \`user.updated\` (the \`updateUser\` mutation has answered) to the owner copy visible in the devices
database, ${updates} sequential updates, PostgreSQL 15 + RabbitMQ on this machine (outbox relay woken by NOTIFY,
publisher confirms, consumer inbox). Target: p99 at most 50 ms.

- machine: ${machineLine()}
- versions: ${versions}
- command: \`TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_AMQP_URL=amqp://guest:guest@127.0.0.1:5672 npm run bench -- event-lag\`
- measured: ${new Date().toISOString().slice(0, 10)}

| p50 | p95 | p99 | max | target p99 |
|---|---|---|---|---|
| ${ms(p50)} | ${ms(p95)} | ${ms(p99)} | ${ms(sorted.at(-1) ?? Number.NaN)} | ${p99 <= 50 ? 'met' : 'MISSED'} (≤ 50 ms) |`;
}
