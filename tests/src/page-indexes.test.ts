import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RecordedStatement } from '@cloudphone/db';
import { type DatabaseTarget, databaseUrlOn } from '@cloudphone/db';
import { graphql, testEnvironment } from '@cloudphone/testing';
import postgres from 'postgres';
import { DEMO_ADMIN, buildDemoDataset, readRoverConfig } from '@cloudphone/tools';
import { type SignedIn, signInAs } from './support/auth.js';
import { type ExplainedStatement, describe, explainStatements, explainable } from './support/explain.js';
import { ADMIN_DEVICE_LIST_PAGE, DEVICE_DETAIL_PAGE, DEVICE_LIST_PAGE, ORDER_LIST_PAGE, USER_DASHBOARD_PAGE, USER_LIST_PAGE } from './support/page-queries.js';
import { type TestStack, startTestStack } from './support/stack.js';

// Every SQL statement a page makes the subgraphs send must be servable by an index: each is
// EXPLAINed with sequential scans disabled, where the planner still takes a Seq Scan only when
// no index can serve it. The demo data is small (so CI can load it), but plans with seqscan off
// depend on which indexes exist, not on how many rows there are.
//
// With TEST_LARGE_SEED_PREFIX (the databases of `npm run seed -- --scale large`), the same pages run
// on the large seed and are EXPLAINed as the planner chooses at that scale (seqscan on): a Seq Scan
// on a large table there is a plan production would take.

/** Tables a Seq Scan may read, with why: a handful of rows that only operators add. Any other table scanned in full fails. */
const SMALL_TABLES: Record<string, string> = {
  tenants: 'one row per customer organisation',
  roles: 'the four built-in roles',
  permissions: 'a fixed catalog of resource:action pairs',
  role_permissions: 'the grants of the built-in roles',
  role_data_scopes: 'one row per role and resource',
  role_field_rules: 'one row per role, resource and field',
  settings: 'system settings, edited by operators',
  dictionary_entries: 'system dictionaries, edited by operators',
  plans: 'the price list (a few plans)',
  billing_rules: 'prices per provider and spec',
  nodes: 'hosts: tens to hundreds',
  node_resources: 'one row per host',
  device_templates: 'preset specs',
  notification_templates: 'one row per notification type and channel',
};

// The tables a page reads that grow with customers, for the record (any table not in SMALL_TABLES is held to an index).
const LARGE_TABLES = ['devices', 'users', 'orders', 'device_applications', 'notifications', 'payments', 'usage_records', 'allocations', 'balance_transactions', 'invoices'];

const dataset = buildDemoDataset({ tenants: 3, users: 60, devices: 240, applications: 20, orders: 200 });
const DEVICE_LIST_SORTS = ['OWNER_NAME', 'OWNER_EMAIL', 'NAME', 'STATUS', 'CREATED_AT'] as const;

/** A seeded ACTIVE user with a RUNNING device that has installs and orders: the dashboard's viewer, its device the detail page's. */
function pickViewer() {
  for (const device of dataset.devices.devices) {
    if (device.status !== 'RUNNING') continue;
    const user = dataset.users.users.find((candidate) => candidate.id === device.userId && candidate.status === 'ACTIVE');
    const installed = dataset.apps.installs.some((install) => install.deviceId === device.id);
    const ordered = dataset.billing.orders.some((order) => order.deviceId === device.id);
    if (user && installed && ordered) return { user, device };
  }
  throw new Error('the dataset has no active user with a running device, installs and orders');
}
const viewer = pickViewer();
// The viewer signs in with the demo password (the seed gives generated users none).
dataset.users.users = dataset.users.users.map((user) => (user.id === viewer.user.id ? { ...user, passwordHash: DEMO_ADMIN.passwordHash } : user));

const { postgresUrl, largeSeedPrefix } = testEnvironment();

/** What the pages are asked about: from the generated dataset, or read from the large seed. */
interface Subjects {
  tenantId: string;
  ownerPrefix: string;
  deviceId: string;
}

let stack: TestStack | undefined;
let user: SignedIn | undefined;
let subjects: Subjects = { tenantId: dataset.users.tenants[0]?.id ?? '', ownerPrefix: viewer.user.displayName.slice(0, 3), deviceId: viewer.device.id ?? '' };

/** On the large seed: the dashboard is the administrator's own, the other pages ask about a running device and its owner. */
async function largeSeedSubjects(running: TestStack): Promise<Subjects> {
  const result = await graphql<{ me: { tenantId: string }; devices: { edges: { node: { id: string; user: { displayName: string } } }[] } }>(
    running.gatewayUrl,
    '{ me { tenantId } devices(first: 1, filter: { status: RUNNING }) { edges { node { id user { displayName } } } } }',
    {},
    running.admin.headers,
  );
  const device = result.data?.devices.edges[0]?.node;
  assert.ok(result.data && device, `the large seed has a running device: ${JSON.stringify(result.errors)}`);
  return { tenantId: result.data.me.tenantId, ownerPrefix: device.user.displayName.slice(0, 3), deviceId: device.id };
}

before(async () => {
  // Billing's background sweeps would send their statements while a page's are recorded: slowed down for the test.
  Object.assign(process.env, { SAGA_POLL_MS: '60000', ORDER_EXPIRY_INTERVAL_MS: '3600000' });
  if (largeSeedPrefix !== undefined && postgresUrl !== undefined) {
    const names = (await readRoverConfig()).subgraphs.map((subgraph) => subgraph.name);
    const existing = Object.fromEntries(names.map((name) => [name, { kind: 'postgres', url: databaseUrlOn(postgresUrl, `${largeSeedPrefix}${name}`) } satisfies DatabaseTarget]));
    stack = await startTestStack('postgres', null, {}, {}, { existing });
    if (!stack) return;
    user = stack.admin;
    subjects = await largeSeedSubjects(stack);
    largeAtScale = await tablesLargeAtScale(stack);
    return;
  }
  stack = await startTestStack('postgres', { ...dataset });
  if (stack) user = await signInAs(stack, viewer.user.email, DEMO_ADMIN.password);
});
after(async () => {
  await stack?.close();
});

interface Page {
  query: string;
  variables: Record<string, unknown>;
  as: 'admin' | 'user';
}

/** Serves `page` through the gateway and returns the statements each subgraph sent for it. */
async function statementsOf(running: TestStack, page: Page): Promise<Map<string, RecordedStatement[]>> {
  const threads = [...running.subgraphs.values()];
  await Promise.all(threads.map((thread) => thread.recordStatements(true)));
  try {
    const headers = page.as === 'admin' ? running.admin.headers : user?.headers;
    assert.ok(headers, 'signed in');
    const result = await graphql<Record<string, unknown>>(running.gatewayUrl, page.query, page.variables, headers);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    const recorded = await Promise.all(threads.map(async (thread) => [thread.name, (await thread.recordedStatements()).filter(explainable)] as const));
    return new Map(recorded.filter(([, statements]) => statements.length > 0));
  } finally {
    await Promise.all(threads.map((thread) => thread.recordStatements(false)));
  }
}

function urlOf(running: TestStack, subgraph: string): string {
  const target = running.databases[subgraph];
  assert.ok(target?.kind === 'postgres', `${subgraph} is on PostgreSQL`);
  return target.url;
}

/** Each statement of the page with its plan (seqscan off); `setup` runs first in the same rolled-back transaction. */
async function explainPage(running: TestStack, page: Page, setup: Record<string, string[]> = {}): Promise<{ subgraph: string; explained: ExplainedStatement }[]> {
  const plans = [];
  for (const [subgraph, statements] of await statementsOf(running, page)) {
    // At scale the planner's own choice is what counts; on small data only seqscan off tells whether an index could serve.
    for (const explained of await explainStatements(urlOf(running, subgraph), statements, { seqscan: largeSeedPrefix !== undefined, setup: setup[subgraph] ?? [] })) plans.push({ subgraph, explained });
  }
  return plans;
}

/** On the large seed, a table is large when it holds at least this many rows; there, smaller ones may be read whole. */
const LARGE_AT_SCALE = 10_000;

/** Tables of the large seed's databases holding at least LARGE_AT_SCALE rows (by the planner's own estimate), by subgraph. */
let largeAtScale: Map<string, Set<string>> | undefined;

async function tablesLargeAtScale(running: TestStack): Promise<Map<string, Set<string>>> {
  const large = new Map<string, Set<string>>();
  for (const subgraph of Object.keys(running.databases)) {
    const sql = postgres(urlOf(running, subgraph), { max: 1 });
    try {
      const rows = await sql<{ relname: string }[]>`select relname from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace and reltuples >= ${LARGE_AT_SCALE}`;
      large.set(subgraph, new Set(rows.map((row) => row.relname)));
    } finally {
      await sql.end();
    }
  }
  return large;
}

/**
 * `count(*)` of a whole table reads every row whatever the plan (an index-only scan too): the price of a
 * `totalCount` a client selected over everything it may see. It is reported, not failed.
 */
const WHOLE_TABLE_COUNT = /^\s*select count\(\*\) from "\w+"\s*$/i;

/** Whether a Seq Scan on `relation` fails the check: a table not listed as small, or on the large seed, one that is large there. */
function mustBeIndexed(subgraph: string, relation: string): boolean {
  if (largeAtScale) return largeAtScale.get(subgraph)?.has(relation) ?? false;
  return SMALL_TABLES[relation] === undefined;
}

/** The statements that read a table other than a small one sequentially, described for the failure message. */
function sequentialScans(plans: { subgraph: string; explained: ExplainedStatement }[]): string[] {
  return plans.flatMap(({ subgraph, explained }) =>
    WHOLE_TABLE_COUNT.test(explained.statement.sql)
      ? []
      : explained.scans.filter((scan) => scan.nodeType === 'Seq Scan' && mustBeIndexed(subgraph, scan.relation)).map((scan) => `${subgraph}: Seq Scan on ${scan.relation}\n${describe(explained)}`),
  );
}

async function assertIndexed(context: { skip: (message: string) => void }, page: Page): Promise<void> {
  if (!stack) return context.skip('no PostgreSQL (set TEST_POSTGRES_URL)');
  const plans = await explainPage(stack, page);
  assert.ok(plans.length > 0, 'the page sent SQL');
  const offending = sequentialScans(plans);
  assert.deepEqual(offending, [], `statements without an index:\n${offending.join('\n\n')}`);
  const counts = plans.filter(({ explained }) => WHOLE_TABLE_COUNT.test(explained.statement.sql)).map(({ subgraph, explained }) => `${subgraph}: ${explained.statement.sql.trim()}`);
  if (counts.length > 0) console.log(`# counts every row it may see (totalCount selected): ${counts.join('; ')}`);
  const full = plans.flatMap(({ subgraph, explained }) => explained.scans.filter((scan) => scan.index !== undefined && scan.indexCond === undefined && LARGE_TABLES.includes(scan.relation)).map((scan) => `${subgraph}.${scan.relation} by ${scan.index}`));
  console.log(`# ${plans.length} statements, all indexed${full.length > 0 ? `; read in index order (no index condition): ${[...new Set(full)].join(', ')}` : ''}`);
}

test('the admin device list (DEVICE_LIST_PAGE) reads every large table through an index', (context) => assertIndexed(context, { query: DEVICE_LIST_PAGE, variables: { first: 20 }, as: 'admin' }));

for (const field of DEVICE_LIST_SORTS) {
  test(`the admin device list sorted by ${field}, filtered by tenant and by status, reads through indexes`, async (context) => {
    await assertIndexed(context, { query: ADMIN_DEVICE_LIST_PAGE, variables: { first: 20, orderBy: { field, direction: 'ASC' }, tenantId: subjects.tenantId }, as: 'admin' });
    await assertIndexed(context, { query: ADMIN_DEVICE_LIST_PAGE, variables: { first: 20, orderBy: { field, direction: 'DESC' }, status: 'RUNNING' }, as: 'admin' });
  });
}

test('the admin device list filtered by owner name or e-mail prefix reads through indexes', (context) =>
  assertIndexed(context, { query: ADMIN_DEVICE_LIST_PAGE, variables: { first: 20, orderBy: { field: 'OWNER_NAME', direction: 'ASC' }, owner: subjects.ownerPrefix }, as: 'admin' }));

test('the admin user list (balance, device count, last order) reads through indexes', (context) => assertIndexed(context, { query: USER_LIST_PAGE, variables: { first: 20 }, as: 'admin' }));

test('the order list (user, plan, device, payments) reads through indexes', (context) => assertIndexed(context, { query: ORDER_LIST_PAGE, variables: { first: 20 }, as: 'admin' }));

test("a user's dashboard reads through indexes", (context) => assertIndexed(context, { query: USER_DASHBOARD_PAGE, variables: {}, as: 'user' }));

test('the device detail page reads through indexes', (context) => assertIndexed(context, { query: DEVICE_DETAIL_PAGE, variables: { deviceId: subjects.deviceId }, as: 'admin' }));

test('the check fails where an index is missing: without orders_device_created_at_idx the latest orders are read by a Seq Scan', async (context) => {
  if (!stack) return context.skip('no PostgreSQL (set TEST_POSTGRES_URL)');
  // Dropped inside the EXPLAIN's transaction, which is rolled back: the database keeps its index.
  const plans = await explainPage(stack, { query: DEVICE_LIST_PAGE, variables: { first: 20 }, as: 'admin' }, { billing: ['drop index orders_device_created_at_idx'] });
  const offending = sequentialScans(plans);
  assert.ok(offending.some((line) => line.startsWith('billing: Seq Scan on orders')), `expected a Seq Scan on orders, got:\n${offending.join('\n')}`);
});
