import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_ADMIN, DEMO_SEED, DEMO_SIZE, buildDemoDataset } from './dataset.js';

test('the demo dataset is the same on every build', () => {
  const heartbeatAt = new Date('2026-11-01T12:00:00Z');
  assert.deepEqual(buildDemoDataset(DEMO_SIZE, DEMO_SEED, heartbeatAt), buildDemoDataset(DEMO_SIZE, DEMO_SEED, heartbeatAt));
  assert.notDeepEqual(buildDemoDataset(DEMO_SIZE, 1, heartbeatAt), buildDemoDataset(DEMO_SIZE, 2, heartbeatAt));
});

test('the demo nodes start ONLINE with a heartbeat of the seeding time, not silent since their creation', () => {
  const before = Date.now();
  const nodes = buildDemoDataset().devices.nodes;
  assert.equal(nodes.length, 4);
  for (const node of nodes) {
    assert.equal(node.status, 'ONLINE');
    assert.ok(node.lastHeartbeatAt && node.lastHeartbeatAt.getTime() >= before, `${node.name} called in when it was seeded`);
  }
  const at = new Date('2026-11-01T12:00:00Z');
  for (const node of buildDemoDataset(DEMO_SIZE, DEMO_SEED, at).devices.nodes) assert.deepEqual(node.lastHeartbeatAt, at);
});

test('the demo dataset has the documented size and consistent cross-service references', () => {
  const data = buildDemoDataset();
  // 50 generated users and the demo administrator, who holds SUPER_ADMIN.
  assert.equal(data.users.users.length, 51);
  const admin = data.users.users.find((user) => user.email === DEMO_ADMIN.email);
  assert.ok(admin?.id && admin.passwordHash);
  assert.deepEqual(data.users.roles, [{ userId: admin.id, role: 'SUPER_ADMIN' }]);
  assert.equal(data.devices.devices.length, 200);
  assert.equal(data.apps.applications.length, 30);
  const users = new Map(data.users.users.map((user) => [user.id, user]));
  const devices = new Map(data.devices.devices.map((device) => [device.id, device]));
  for (const device of data.devices.devices) {
    const owner = users.get(device.userId);
    assert.ok(owner, 'every device has an existing owner');
    assert.equal(device.ownerEmail, owner.email, 'owner copies match the user');
    assert.equal(device.tenantId, owner.tenantId);
  }
  for (const install of data.apps.installs) assert.equal(devices.get(install.deviceId)?.userId, install.userId);
  for (const order of data.billing.orders) {
    assert.ok(users.has(order.userId));
    if (order.deviceId) assert.equal(devices.get(order.deviceId)?.userId, order.userId, "orders name the user's own device");
  }
  const ids = [...users.keys(), ...devices.keys(), ...data.billing.orders.map((order) => order.id)];
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
});

test("the demo scheduler holds exactly its devices' resources, within every node's capacity", () => {
  const data = buildDemoDataset();
  const live = data.devices.devices.filter((device) => device.nodeId !== null && device.status !== 'DELETED');
  const allocated = data.scheduler.allocations.filter((allocation) => allocation.status === 'ALLOCATED');
  assert.deepEqual(allocated.map((allocation) => allocation.deviceId).sort(), live.map((device) => device.id).sort());
  for (const node of data.scheduler.nodes) {
    const mine = live.filter((device) => device.nodeId === node.nodeId);
    assert.equal(node.devicesAllocated, mine.length);
    assert.equal(node.cpuAllocated, mine.reduce((sum, device) => sum + device.cpuCores, 0));
    assert.ok((node.cpuAllocated ?? 0) <= node.cpuCapacity && (node.memoryMbAllocated ?? 0) <= node.memoryMbCapacity && (node.devicesAllocated ?? 0) <= node.deviceSlots, node.name);
  }
});
