import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type CandidateNode, type PlacementContext, fits, loadScore, rankNodes } from './strategies.js';

function node(name: string, zone: string, allocated: { cpuCores?: number; memoryMb?: number; devices?: number }, slots = 10): CandidateNode {
  return {
    nodeId: `00000000-0000-4000-8000-0000000000${name.slice(-2)}`,
    name,
    zone,
    capacity: { cpuCores: 40, memoryMb: 40_000, storageGb: 1000, deviceSlots: slots },
    allocated: { cpuCores: allocated.cpuCores ?? 0, memoryMb: allocated.memoryMb ?? 0, storageGb: 0, devices: allocated.devices ?? 0 },
  };
}

const small = { cpuCores: 2, memoryMb: 2000, storageGb: 10 };
const context = (overrides: Partial<PlacementContext> = {}): PlacementContext => ({ userAllocationsByNode: new Map(), roundRobinPosition: 0, ...overrides });
const names = (nodes: CandidateNode[]) => nodes.map((candidate) => candidate.name);

describe('placement strategies', () => {
  // a: many small devices; b: few large ones; c: empty.
  const a = node('node-01', 'z1', { cpuCores: 8, memoryMb: 8000, devices: 6 });
  const b = node('node-02', 'z1', { cpuCores: 32, memoryMb: 32_000, devices: 2 });
  const c = node('node-03', 'z2', {});

  test('the load score is 0.3 cpu% + 0.3 memory% + 0.4 slot%', () => {
    assert.equal(loadScore(c), 0);
    assert.ok(Math.abs(loadScore(a) - (0.3 * 0.2 + 0.3 * 0.2 + 0.4 * 0.6)) < 1e-9);
    assert.ok(Math.abs(loadScore(b) - (0.3 * 0.8 + 0.3 * 0.8 + 0.4 * 0.2)) < 1e-9);
  });

  test('a node without room for the device is never a candidate', () => {
    const full = node('node-04', 'z2', { devices: 10 });
    const noCpu = node('node-05', 'z2', { cpuCores: 39 });
    assert.equal(fits(full, small), false);
    assert.equal(fits(noCpu, small), false);
    for (const strategy of ['LEAST_LOADED', 'BINPACK', 'SPREAD', 'ROUND_ROBIN', 'WEIGHTED'] as const) {
      assert.deepEqual(names(rankNodes(strategy, [full, noCpu], small, context())), [], strategy);
    }
  });

  test('LEAST_LOADED prefers the fewest devices; WEIGHTED the lowest weighted score', () => {
    assert.deepEqual(names(rankNodes('LEAST_LOADED', [a, b, c], small, context())), ['node-03', 'node-02', 'node-01']);
    assert.deepEqual(names(rankNodes('WEIGHTED', [a, b, c], small, context())), ['node-03', 'node-01', 'node-02']);
  });

  test('BINPACK fills the fullest node first', () => {
    assert.deepEqual(names(rankNodes('BINPACK', [a, b, c], small, context())), ['node-02', 'node-01', 'node-03']);
  });

  test("SPREAD avoids the nodes and zones holding the user's devices", () => {
    const mine = new Map([[a.nodeId, 1]]);
    // b shares zone z1 with a, so the empty node in z2 comes first, then b, then a.
    assert.deepEqual(names(rankNodes('SPREAD', [a, b, c], small, context({ userAllocationsByNode: mine }))), ['node-03', 'node-02', 'node-01']);
  });

  test('ROUND_ROBIN starts one node further each time and wraps around', () => {
    const order = (position: number) => names(rankNodes('ROUND_ROBIN', [c, a, b], small, context({ roundRobinPosition: position }))).join(',');
    assert.equal(order(0), 'node-01,node-02,node-03');
    assert.equal(order(1), 'node-02,node-03,node-01');
    assert.equal(order(2), 'node-03,node-01,node-02');
    assert.equal(order(3), order(0));
  });

  test('equal scores give the same order every time', () => {
    const twins = [node('node-09', 'z1', {}), node('node-08', 'z1', {})];
    assert.deepEqual(names(rankNodes('WEIGHTED', twins, small, context())), ['node-08', 'node-09']);
  });
});
