import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type SubgraphDatabase, openDatabase } from '@cloudphone/db';
import { AllocationsRepository } from '../allocations/allocations.repository.js';
import { migrationsFolder } from '../database/migrations.js';
import { seedScheduler } from '../database/seed.js';
import { NodeResourcesRepository } from '../nodes/node-resources.repository.js';
import { sweepReservations } from './reservation-sweep.js';

const id = (n: number) => `7a2b3c4d-0000-4000-8000-${String(n).padStart(12, '0')}`;
const NODE = id(1);
const USER = id(2);
const TENANT = id(3);
const LATE_EVENT_DEVICE = id(10);
const NEVER_WRITTEN_DEVICE = id(11);
const spec = { cpuCores: 2, memoryMb: 2048, storageGb: 16 };

let database: SubgraphDatabase;
let allocations: AllocationsRepository;
let nodes: NodeResourcesRepository;

before(async () => {
  database = await openDatabase({ service: 'scheduler', target: { kind: 'pglite' }, migrationsFolder });
  await seedScheduler(database, {
    nodes: [{ nodeId: NODE, name: 'node-a', status: 'ONLINE', region: 'r', zone: 'z', labels: {}, cpuCapacity: 8, memoryMbCapacity: 8192, storageGbCapacity: 100, deviceSlots: 3, sourceVersion: 1 }],
    allocations: [],
  });
  allocations = new AllocationsRepository(database);
  nodes = new NodeResourcesRepository(database);
});
after(async () => {
  await database.close();
});

async function slotsTaken(): Promise<number> {
  const [node] = await nodes.findByIds([NODE]);
  return node?.devicesAllocated ?? -1;
}

test('a reservation is taken once per device and refused when the node is full', async () => {
  const claim = (deviceId: string) => ({ deviceId, userId: USER, tenantId: TENANT, strategy: 'WEIGHTED' as const, spec });
  const first = await allocations.reserve(NODE, claim(LATE_EVENT_DEVICE));
  const retried = await allocations.reserve(NODE, claim(LATE_EVENT_DEVICE));
  assert.equal(retried?.id, first?.id, 'a retry returns the first claim');
  await allocations.reserve(NODE, claim(NEVER_WRITTEN_DEVICE));
  assert.equal(await slotsTaken(), 2);
  await allocations.reserve(NODE, claim(id(12)));
  assert.equal(await allocations.reserve(NODE, claim(id(13))), undefined, 'no fourth slot');
  assert.equal(await slotsTaken(), 3);
  await allocations.releaseNow(id(12), { status: 'RELEASED', reason: 'test' });
  assert.equal(await slotsTaken(), 2);
});

test('the sweep keeps reservations whose device exists and expires the others, giving their capacity back', async () => {
  const later = new Date(Date.now() + 120_000);
  // While the devices subgraph cannot answer, nothing expires.
  await assert.rejects(
    sweepReservations(allocations, async () => {
      throw new Error('devices unreachable');
    }, { ttlMs: 60_000, now: later }),
  );
  assert.equal(await slotsTaken(), 2);

  const report = await sweepReservations(allocations, async () => new Set([LATE_EVENT_DEVICE]), { ttlMs: 60_000, now: later });
  assert.deepEqual(report, { confirmed: 1, expired: [NEVER_WRITTEN_DEVICE] });
  assert.equal(await slotsTaken(), 1);
  const [expired] = await allocations.latestFor([NEVER_WRITTEN_DEVICE]);
  assert.equal(expired?.status, 'EXPIRED');
  const [kept] = await allocations.latestFor([LATE_EVENT_DEVICE]);
  assert.deepEqual([kept?.status, kept?.confirmedAt instanceof Date], ['ALLOCATED', true]);

  // Young reservations are left alone: their device may be being written right now.
  await allocations.reserve(NODE, { deviceId: id(14), userId: USER, tenantId: TENANT, strategy: 'WEIGHTED', spec });
  assert.deepEqual(await sweepReservations(allocations, async () => new Set(), { ttlMs: 60_000 }), { confirmed: 0, expired: [] });
  assert.equal(await slotsTaken(), 2);
});
