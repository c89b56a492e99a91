import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type SubgraphDatabase, openDatabase } from '@cloudphone/db';
import { Outbox, outbox } from '@cloudphone/events';
import { migrationsFolder } from '../database/migrations.js';
import type { DeviceRow } from '../database/schema.js';
import { seedDevices } from '../database/seed.js';
import { DevicesRepository } from '../devices/devices.repository.js';
import type { HealthReport, ProviderDriver, ProvisionResult, TeardownResult } from '../drivers/provider-driver.js';
import { NodesRepository } from '../nodes/nodes.repository.js';
import { TEARDOWN_LEASE_MS } from '../provisioning/teardown-device.js';
import { NODE_SILENCE_LIMIT_MS, sweepHealth } from './health-monitor.js';

const id = (n: number) => `6f1c1d2e-0000-4000-8000-${String(n).padStart(12, '0')}`;
const NOW = new Date('2026-06-01T12:00:00.000Z');
const SICK = id(1);
const FAILED_BUT_WELL = id(2);
const STOPPED = id(3);
/** CREATING for 10 minutes on a node: its provisioning died with a process. */
const STUCK = id(4);
/** CREATING for a moment: its provisioning may still be running. */
const FRESH = id(5);
/** DELETED 10 minutes ago, its phone never released (the provider refused until the event was dead-lettered). */
const NOT_TORN_DOWN = id(6);
/** DELETED 10 minutes ago, its phone released. */
const TORN_DOWN = id(7);
/** DELETED a moment ago: its event's teardown may still be running. */
const JUST_DELETED = id(8);

/** A driver whose probes answer from a list: the seam a real provider driver fills. */
class ScriptedDriver implements ProviderDriver {
  constructor(private readonly sick: ReadonlySet<string>) {}
  readonly provisioned: string[] = [];
  readonly tornDown: string[] = [];
  async provision(device: DeviceRow): Promise<ProvisionResult> {
    this.provisioned.push(device.id);
    return { ok: true, adbHost: 'node-1.internal', adbPort: 5555 };
  }
  async install(): Promise<never> {
    throw new Error('not used');
  }
  async health(device: DeviceRow): Promise<HealthReport> {
    return this.sick.has(device.id) ? { healthy: false, score: 5 } : { healthy: true, score: 97 };
  }
  async teardown(device: DeviceRow): Promise<TeardownResult> {
    this.tornDown.push(device.id);
    return { ok: true };
  }
}

let database: SubgraphDatabase;

before(async () => {
  database = await openDatabase({ service: 'devices', target: { kind: 'pglite' }, migrationsFolder });
  const device = (n: number, status: DeviceRow['status']) => ({
    id: id(n),
    userId: id(100),
    tenantId: id(200),
    ownerName: 'Owner',
    ownerEmail: 'owner@example.com',
    ownerVersion: 1,
    name: `phone-${n}`,
    provider: 'REDROID' as const,
    cpuCores: 2,
    memoryMb: 4096,
    storageGb: 32,
    androidVersion: '13',
    status,
  });
  const node = (n: number, heardAgoMs: number) => ({
    id: id(300 + n),
    name: `node-${n}`,
    region: 'eu',
    zone: 'eu-1',
    cpuCapacity: 64,
    memoryMbCapacity: 262_144,
    storageGbCapacity: 4096,
    deviceSlots: 50,
    lastHeartbeatAt: new Date(NOW.getTime() - heardAgoMs),
  });
  await seedDevices(database, {
    nodes: [node(1, NODE_SILENCE_LIMIT_MS + 1_000), node(2, 30_000)],
    templates: [],
    devices: [
      device(1, 'RUNNING'),
      device(2, 'ERROR'),
      device(3, 'STOPPED'),
      { ...device(4, 'CREATING'), nodeId: id(302), statusChangedAt: new Date(NOW.getTime() - 10 * 60_000) },
      { ...device(5, 'CREATING'), nodeId: id(302), statusChangedAt: new Date(NOW.getTime() - 5_000) },
      { ...device(6, 'DELETED'), statusChangedAt: new Date(NOW.getTime() - 10 * 60_000) },
      { ...device(7, 'DELETED'), statusChangedAt: new Date(NOW.getTime() - 10 * 60_000), tornDownAt: new Date(NOW.getTime() - 9 * 60_000) },
      { ...device(8, 'DELETED'), statusChangedAt: new Date(NOW.getTime() - TEARDOWN_LEASE_MS + 5_000) },
    ],
  });
});
after(async () => {
  await database.close();
});

test('a sweep fails sick RUNNING devices, recovers healthy ERROR ones, resumes lost provisioning and overdue teardowns, leaves the rest, and marks silent nodes OFFLINE', async () => {
  const devices = new DevicesRepository(database, new Outbox('devices'));
  const nodes = new NodesRepository(database, new Outbox('devices'));
  const driver = new ScriptedDriver(new Set([SICK]));
  const report = await sweepHealth(devices, nodes, driver, NOW);
  assert.deepEqual(report, { probed: 2, failed: [SICK], recovered: [FAILED_BUT_WELL], nodesOffline: [id(301)], provisioningResumed: [STUCK], teardownsResumed: [NOT_TORN_DOWN], teardownsFailed: [] });
  assert.deepEqual(driver.provisioned, [STUCK], 'a device CREATING for a moment is left to its own provisioning');
  assert.deepEqual(driver.tornDown, [NOT_TORN_DOWN], 'a phone released is not torn down again; one just deleted is left to its event');
  const deleted = new Map((await devices.findByIds([NOT_TORN_DOWN, TORN_DOWN, JUST_DELETED])).map((row) => [row.id, row.tornDownAt?.getTime() ?? null]));
  assert.ok(deleted.get(NOT_TORN_DOWN), 'the teardown is recorded');
  assert.equal(deleted.get(TORN_DOWN), NOW.getTime() - 9 * 60_000, 'an earlier teardown stays as it was');
  assert.equal(deleted.get(JUST_DELETED), null);

  const rows = new Map((await devices.findByIds([SICK, FAILED_BUT_WELL, STOPPED, STUCK, FRESH])).map((row) => [row.id, row]));
  assert.deepEqual([rows.get(SICK)?.status, rows.get(SICK)?.healthScore], ['ERROR', 5]);
  assert.deepEqual([rows.get(FAILED_BUT_WELL)?.status, rows.get(FAILED_BUT_WELL)?.healthScore], ['RUNNING', 97]);
  assert.equal(rows.get(STOPPED)?.status, 'STOPPED');
  assert.deepEqual([rows.get(STUCK)?.status, rows.get(STUCK)?.adbHost], ['RUNNING', 'node-1.internal']);
  assert.equal(rows.get(FRESH)?.status, 'CREATING');

  const events = (await database.db.select().from(outbox)).map((row) => [row.routingKey, row.aggregateId]);
  // The node gone OFFLINE is news for the scheduler's placement copy.
  assert.deepEqual(events.sort(), [['device.status.changed', FAILED_BUT_WELL], ['device.status.changed', SICK], ['device.status.changed', STUCK], ['node.updated', id(301)]].sort());

  // A second sweep with the same answers changes nothing more: both devices are where their health says.
  const againDriver = new ScriptedDriver(new Set([SICK]));
  const again = await sweepHealth(devices, nodes, againDriver, NOW);
  assert.deepEqual(
    { failed: again.failed, recovered: again.recovered, nodesOffline: again.nodesOffline, provisioningResumed: again.provisioningResumed, teardownsResumed: again.teardownsResumed },
    { failed: [], recovered: [], nodesOffline: [], provisioningResumed: [], teardownsResumed: [] },
  );
  assert.deepEqual(againDriver.tornDown, []);
  const [back] = await nodes.findByIds([id(301)]);
  assert.equal(back?.status, 'OFFLINE');
  assert.equal((await nodes.recordHeartbeat(id(301), NOW, {}))?.status, 'ONLINE', 'a heartbeat brings it back');
  const nodeEvents = (await database.db.select().from(outbox)).filter((row) => row.routingKey === 'node.updated');
  assert.equal(nodeEvents.length, 2, 'OFFLINE and back ONLINE: one event each');
  await nodes.recordHeartbeat(id(301), NOW, {});
  assert.equal((await database.db.select().from(outbox)).filter((row) => row.routingKey === 'node.updated').length, 2, 'a plain heartbeat is no news');
});
