import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { buildDemoDataset, repoPath } from '@cloudphone/tools';
import type { Client } from 'graphql-ws';
import { eventually } from './support/events.js';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';
import { listen, setDeviceRunning, wsClient } from './support/subscriptions.js';

const dataset = buildDemoDataset();
const device = dataset.devices.devices.find((candidate) => candidate.status === 'RUNNING');
const committed = await readFile(repoPath('schema', 'supergraph.graphql'), 'utf8');
// The supergraph of a release that dropped DeviceStatusEvent.occurredAt: a change clients can see.
const OCCURRED_AT = '\n  """When the status changed."""\n  occurredAt: DateTime!\n';
assert.ok(committed.includes(OCCURRED_AT), 'the committed supergraph has DeviceStatusEvent.occurredAt');
const withoutOccurredAt = committed.replace(OCCURRED_AT, '\n');

let folder: string;
let supergraphPath: string;
let stack: TestStack | undefined;
let client: Client | undefined;

before(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'supergraph-reload-'));
  supergraphPath = path.join(folder, 'supergraph.graphql');
  await writeFile(supergraphPath, committed);
  stack = await startTestStack(await preferredKind(), { ...dataset }, { SUPERGRAPH_PATH: supergraphPath });
  assert.ok(stack);
  client = wsClient(stack.gatewayUrl, stack.admin.accessToken);
});
after(async () => {
  await client?.dispose();
  await stack?.close();
  await rm(folder, { recursive: true, force: true });
});

const WATCH = 'subscription($id: ID) { deviceStatusChanged(deviceId: $id) { status occurredAt device { name } } }';
const WATCH_WITHOUT_OCCURRED_AT = 'subscription($id: ID) { deviceStatusChanged(deviceId: $id) { status device { name } } }';

test('a reload ends open subscriptions with SUPERGRAPH_RELOADED then complete; new ones validate against the new schema and get events', async () => {
  assert.ok(stack && client && device?.id);
  const old = await listen(client, WATCH, { id: device.id });
  await setDeviceRunning(stack.gatewayUrl, stack.admin.headers, device.id, false);
  await eventually(() => old.results.length === 1, 'the open subscription works before the reload');

  await writeFile(supergraphPath, withoutOccurredAt);
  assert.equal(await stack.gateway.reload(), true);
  await eventually(() => old.completed, 'the old subscription completes');
  assert.equal(old.results.length, 2, JSON.stringify(old.results));
  const final = old.results[1];
  assert.equal(final?.data, null);
  assert.deepEqual(
    final?.errors?.map((error) => [error.extensions?.['code'], error.extensions?.['retryable'], typeof error.extensions?.['requestId']]),
    [['SUPERGRAPH_RELOADED', true, 'string']],
  );
  assert.equal(old.errors, undefined, 'ended by complete, not by an error message');

  const stale = await listen(client, WATCH, { id: device.id });
  await eventually(() => stale.errors !== undefined, 'the old selection is refused');
  assert.equal(stale.errors?.[0]?.extensions?.['code'], 'GRAPHQL_VALIDATION_FAILED');
  assert.match(stale.errors?.[0]?.message ?? '', /Cannot query field "occurredAt" on type "DeviceStatusEvent"/);

  const fresh = await listen(client, WATCH_WITHOUT_OCCURRED_AT, { id: device.id });
  await setDeviceRunning(stack.gatewayUrl, stack.admin.headers, device.id, true);
  await eventually(() => fresh.results.length === 1, 'a subscription after the reload gets the next change');
  assert.deepEqual(fresh.results[0], { data: { deviceStatusChanged: { status: 'RUNNING', device: { name: device.name } } } });
  fresh.stop();
});

test('a reload of an unchanged file, or of a file that is no supergraph, leaves open subscriptions running', async () => {
  assert.ok(stack && client && device?.id);
  const open = await listen(client, WATCH_WITHOUT_OCCURRED_AT, { id: device.id });
  assert.equal(await stack.gateway.reload(), false, 'unchanged');
  await writeFile(supergraphPath, 'type Query { broken: String');
  await assert.rejects(stack.gateway.reload());
  await setDeviceRunning(stack.gatewayUrl, stack.admin.headers, device.id, false);
  await eventually(() => open.results.length === 1, 'the open subscription still gets changes');
  assert.equal(open.completed, false);
  assert.deepEqual(open.results[0]?.errors, undefined);
  open.stop();
});
