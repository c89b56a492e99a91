import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type DatabaseTarget, openDatabase } from '@cloudphone/db';
import { graphql, realPostgres, throwawayPostgres } from '@cloudphone/testing';
import { type BulkLoadReport, type DatasetSize, bulkDataset, bulkLoad, checkConsistency, loadSubgraphs } from '@cloudphone/tools';
import { loadQuotaDefaults } from '@cloudphone/users-subgraph/config';
import postgres from 'postgres';
import { serviceHeaders, signInAsDemoAdmin } from './support/auth.js';
import { type TestStack, startTestStack } from './support/stack.js';

// `npm run seed`'s loader at a small custom scale: COPY into fresh PostgreSQL databases, then the
// whole supergraph on them, answering with exactly what was generated.
const SIZE: DatasetSize = { tenants: 3, users: 300, devices: 900, applications: 30, orders: 3_000 };
const options = { seed: 7, heartbeatAt: new Date(), quotaDefaults: loadQuotaDefaults() };

/** A second pass of the generator: the same seed gives the same rows, so this is what the databases must hold. */
function expected() {
  const tables: Record<string, number> = {};
  const devices = new Map<string, { userId: string; ownerEmail: string; installs: number; orders: number; latest?: { id: string; at: number } }>();
  let livePlacements = 0;
  for (const { rows } of bulkDataset(SIZE, options)) {
    for (const part of Object.values(rows)) for (const [key, list] of Object.entries(part ?? {})) if (Array.isArray(list)) tables[key] = (tables[key] ?? 0) + list.length;
    for (const device of rows.devices?.devices ?? []) {
      devices.set(device.id ?? '', { userId: device.userId, ownerEmail: device.ownerEmail, installs: 0, orders: 0 });
      if (device.nodeId && device.status !== 'DELETED') livePlacements += 1;
    }
    for (const install of rows.apps?.installs ?? []) {
      const device = devices.get(install.deviceId);
      if (device) device.installs += 1;
    }
    for (const order of rows.billing?.orders ?? []) {
      const device = order.deviceId ? devices.get(order.deviceId) : undefined;
      if (!device || !order.id || !order.createdAt) continue;
      device.orders += 1;
      const at = order.createdAt.getTime();
      if (!device.latest || at > device.latest.at || (at === device.latest.at && order.id > device.latest.id)) device.latest = { id: order.id, at };
    }
  }
  return { tables, devices, livePlacements };
}

const generated = expected();
let stack: TestStack | undefined;
let report: BulkLoadReport | undefined;
let urls: Record<string, string> = {};

function postgresUrls(targets: Record<string, DatabaseTarget>): Record<string, string> {
  return Object.fromEntries(Object.entries(targets).map(([name, target]) => [name, target.kind === 'postgres' ? target.url : assert.fail(`${name} is not on PostgreSQL`)]));
}

before(async () => {
  stack = await startTestStack('postgres', null, {}, {}, {
    prepare: async (targets) => {
      urls = postgresUrls(targets);
      report = await bulkLoad(await loadSubgraphs(), bulkDataset(SIZE, options), { urls, replace: false });
    },
  });
});
after(async () => {
  await stack?.close();
});

async function rowsOf<T extends object>(url: string, query: string): Promise<T[]> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    return [...(await sql.unsafe<T[]>(query))];
  } finally {
    await sql.end({ timeout: 5 });
  }
}

test('every generated row is copied, table by table', (context) => {
  if (!report) return context.skip('no PostgreSQL (set TEST_POSTGRES_URL)');
  assert.deepEqual(report.rows['billing'], { plans: 4, billing_rules: 7, orders: SIZE.orders });
  assert.deepEqual(report.rows['devices'], { nodes: 18, device_templates: 3, devices: SIZE.devices });
  assert.deepEqual(report.rows['users'], { tenants: SIZE.tenants, users: SIZE.users + 1 });
  assert.equal(report.rows['apps']?.['device_applications'], generated.tables['installs']);
  assert.equal(report.rows['notifications']?.['notifications'], generated.tables['notifications']);
  assert.equal(report.rows['scheduler']?.['allocations'], generated.tables['allocations']);
  assert.ok((generated.tables['installs'] ?? 0) > SIZE.devices, 'several installs per device');
});

test('the loaded databases keep the schema the migrations define, and every table is analyzed', async (context) => {
  if (!report) return context.skip('no PostgreSQL (set TEST_POSTGRES_URL)');
  const adminUrl = await realPostgres();
  assert.ok(adminUrl);
  const subgraphs = await loadSubgraphs();
  const fresh = throwawayPostgres(adminUrl, subgraphs.map((subgraph) => subgraph.name));
  try {
    const freshUrls = postgresUrls(fresh.targets);
    const indexes = 'select tablename, indexname, indexdef from pg_indexes where schemaname = $$public$$ order by 1, 2';
    for (const { name, definition } of subgraphs) {
      const database = await openDatabase({ service: name, target: { kind: 'postgres', url: freshUrls[name] ?? '' }, migrationsFolder: definition.migrationsFolder });
      await database.close();
      assert.deepEqual(await rowsOf(urls[name] ?? '', indexes), await rowsOf(freshUrls[name] ?? '', indexes), `${name}: the same indexes as migrated`);
      assert.deepEqual(await rowsOf(urls[name] ?? '', 'select relname from pg_stat_user_tables where last_analyze is null'), [], `${name}: every table analyzed`);
    }
  } finally {
    await fresh.drop();
  }
});

interface DevicePage {
  devices: {
    totalCount: number;
    edges: { node: { id: string; user: { id: string; email: string }; applications: { application: { id: string } }[]; latestOrder: { id: string } | null; orders: { totalCount: number } } }[];
  };
}

test('a devices page with owners, installs and latest orders answers exactly what was generated', async (context) => {
  if (!stack) return context.skip('no PostgreSQL (set TEST_POSTGRES_URL)');
  // The bulk data's administrator signs in: its password hash was copied with the users.
  const admin = await signInAsDemoAdmin(stack);
  const page = await graphql<DevicePage>(
    stack.gatewayUrl,
    '{ devices(first: 50) { totalCount edges { node { id user { id email } applications { application { id } } latestOrder { id } orders { totalCount } } } } }',
    {},
    admin.headers,
  );
  assert.equal(page.errors, undefined, JSON.stringify(page.errors));
  assert.equal(page.data?.devices.totalCount, SIZE.devices);
  assert.equal(page.data?.devices.edges.length, 50);
  for (const { node } of page.data?.devices.edges ?? []) {
    const device = generated.devices.get(node.id);
    assert.ok(device, `device ${node.id} was generated`);
    assert.deepEqual(node.user, { id: device.userId, email: device.ownerEmail });
    assert.equal(node.applications.length, device.installs);
    assert.equal(node.orders.totalCount, device.orders);
    assert.equal(node.latestOrder?.id ?? null, device.latest?.id ?? null);
  }
  const totals = await graphql<{ orders: { totalCount: number }; applications: { totalCount: number } }>(stack.gatewayUrl, '{ orders { totalCount } applications { totalCount } }', {}, admin.headers);
  assert.equal(totals.errors, undefined, JSON.stringify(totals.errors));
  assert.deepEqual(totals.data, { orders: { totalCount: SIZE.orders }, applications: { totalCount: SIZE.applications } });
});

test('every copy equals its source and the nodes hold exactly their live allocations', async (context) => {
  if (!stack) return context.skip('no PostgreSQL (set TEST_POSTGRES_URL)');
  const url = (name: string) => stack?.subgraphUrls[name] ?? assert.fail(`no ${name} subgraph`);
  const consistency = await checkConsistency({
    gatewayUrl: stack.gatewayUrl,
    devicesUrl: url('devices'),
    billingUrl: url('billing'),
    gatewayHeaders: stack.admin.headers,
    subgraphHeaders: await serviceHeaders(stack),
  });
  assert.deepEqual(consistency.mismatches, []);
  assert.deepEqual(consistency.checked, { devices: SIZE.devices, orders: SIZE.orders, nodes: 18, placements: generated.livePlacements });
  const nodes = await graphql<{ nodes: { edges: { node: { resources: { deviceSlots: { allocated: number } } } }[] } }>(
    stack.gatewayUrl,
    '{ nodes(first: 100) { edges { node { resources { deviceSlots { allocated } } } } } }',
    {},
    stack.admin.headers,
  );
  assert.equal(nodes.errors, undefined, JSON.stringify(nodes.errors));
  const allocated = (nodes.data?.nodes.edges ?? []).reduce((sum, { node }) => sum + node.resources.deviceSlots.allocated, 0);
  assert.equal(allocated, generated.livePlacements);
});

test('a second load into the same databases is refused without --replace', async (context) => {
  if (!report) return context.skip('no PostgreSQL (set TEST_POSTGRES_URL)');
  await assert.rejects(bulkLoad(await loadSubgraphs(), bulkDataset(SIZE, options), { urls, replace: false }), /already hold data: users/);
});
