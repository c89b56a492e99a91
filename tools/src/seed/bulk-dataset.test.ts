import assert from 'node:assert/strict';
import { test } from 'node:test';
import { billingSeedPlan } from '@cloudphone/billing-subgraph/database/seed';
import { devicesSeedPlan } from '@cloudphone/devices-subgraph/database/seed';
import { type BulkDatasetOptions, type GeneratedChunk, bulkDataset } from './bulk-dataset.js';
import { DEMO_ADMIN, type DatasetSize } from './dataset.js';

const SIZE: DatasetSize = { tenants: 4, users: 2_500, devices: 7_500, applications: 40, orders: 25_000 };
const OPTIONS: BulkDatasetOptions = {
  seed: 11,
  heartbeatAt: new Date('2026-11-01T12:00:00Z'),
  quotaDefaults: { maxDevices: 20, maxRunningDevices: 15, maxCpuCores: 64, maxMemoryMb: 131_072, maxStorageGb: 1_024 },
  chunkUsers: 1_000,
};
const chunks = [...bulkDataset(SIZE, OPTIONS)];
const all = <T>(pick: (chunk: GeneratedChunk) => readonly T[] | undefined): T[] => chunks.flatMap((chunk) => pick(chunk) ?? []);
const users = all((chunk) => chunk.rows.users?.users);
const devices = all((chunk) => chunk.rows.devices?.devices);
const orders = all((chunk) => chunk.rows.billing?.orders);

test('the same seed gives the same chunks, and the totals are exactly the size asked for', () => {
  assert.deepEqual([...bulkDataset(SIZE, OPTIONS)], chunks);
  assert.equal(chunks.length, 1 + Math.ceil(SIZE.users / 1_000), 'the shared rows, then a chunk per 1,000 users');
  assert.deepEqual(
    chunks.map((chunk) => chunk.usersDone),
    [0, 1_000, 2_000, 2_500],
  );
  assert.equal(users.length, SIZE.users + 1, 'and the demo administrator, last');
  assert.equal(users.at(-1)?.email, DEMO_ADMIN.email);
  assert.equal(devices.length, SIZE.devices);
  assert.equal(orders.length, SIZE.orders);
  assert.equal(all((chunk) => chunk.rows.apps?.applications).length, SIZE.applications);
  assert.equal(new Set([...users, ...devices, ...orders].map((row) => row.id)).size, users.length + devices.length + orders.length, 'ids are unique');
});

test("each subgraph gets a table's rows before the next table's (one COPY at a time per database)", () => {
  for (const [subgraph, plan] of [['devices', devicesSeedPlan], ['billing', billingSeedPlan]] as const) {
    let reached = 0;
    for (const chunk of chunks) {
      const part = (chunk.rows[subgraph] ?? {}) as Record<string, unknown[] | undefined>;
      plan.tables.forEach(({ key }, position) => {
        if ((part[key]?.length ?? 0) === 0) return;
        assert.ok(position >= reached, `${subgraph}.${key} after a later table`);
        reached = position;
      });
    }
  }
});

test('per user the data is skewed: most hold a few devices, some none, a few dozens', () => {
  const held = new Map<string, number>();
  for (const device of devices) held.set(device.userId, (held.get(device.userId) ?? 0) + 1);
  const counts = users.slice(0, -1).map((user) => held.get(user.id ?? '') ?? 0);
  const share = (matches: (count: number) => boolean) => counts.filter(matches).length / counts.length;
  assert.ok(share((count) => count === 0) > 0.05, 'some users hold none');
  assert.ok(share((count) => count >= 1 && count <= 3) > 0.6, 'most hold 1 to 3');
  assert.ok(share((count) => count >= 20) > 0.005, 'a few hold dozens');
  const statuses = new Map<string, number>();
  for (const device of devices) statuses.set(device.status ?? '', (statuses.get(device.status ?? '') ?? 0) + 1);
  assert.ok(((statuses.get('RUNNING') ?? 0) + (statuses.get('STOPPED') ?? 0)) / devices.length > 0.75, 'mostly RUNNING or STOPPED');
  assert.equal(statuses.get('CREATING'), undefined, 'nothing left half-created in the past');
  assert.ok(orders.filter((order) => order.status === 'PAID').length / orders.length > 0.7, 'mostly PAID');
  assert.equal(orders.filter((order) => order.status === 'PENDING').length, 0, 'no payment window still open');
});

test('copies match their sources, placements fit their nodes, and heavy users have a quota that fits', () => {
  const usersById = new Map(users.map((user) => [user.id, user]));
  const devicesById = new Map(devices.map((device) => [device.id, device]));
  for (const device of devices) assert.equal(device.ownerEmail, usersById.get(device.userId)?.email);
  for (const order of orders) {
    assert.equal(order.userEmail, usersById.get(order.userId)?.email);
    if (order.deviceId) assert.equal(order.deviceName, devicesById.get(order.deviceId)?.name);
  }
  const nodes = all((chunk) => chunk.rows.devices?.nodes);
  const slots = new Map<string, number>();
  for (const allocation of all((chunk) => chunk.rows.scheduler?.allocations)) {
    if (allocation.status === 'ALLOCATED') slots.set(allocation.nodeId, (slots.get(allocation.nodeId) ?? 0) + 1);
  }
  for (const node of nodes) assert.ok((slots.get(node.id ?? '') ?? 0) <= node.deviceSlots, node.name);
  const quotas = all((chunk) => chunk.rows.users?.quotas);
  assert.ok(quotas.length > 0);
  for (const quota of quotas) {
    const live = devices.filter((device) => device.userId === quota.userId && device.status !== 'DELETED');
    assert.ok(live.length <= quota.maxDevices && live.reduce((sum, device) => sum + device.cpuCores, 0) <= quota.maxCpuCores);
  }
});
