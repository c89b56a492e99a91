import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { graphql } from '@cloudphone/testing';
import { type Stack, heartbeatRound } from '@cloudphone/tools';
import type { SignedIn } from './auth.js';
import { eventually } from './events.js';

export interface Usage {
  capacity: number;
  allocated: number;
  free: number;
}

export interface NodeView {
  id: string;
  name: string;
  resources: { deviceSlots: Usage; cpuCores: Usage; memoryMb: Usage; storageGb: Usage } | null;
}

const NODE = `query($id: ID!) { node(id: $id) { id name resources { deviceSlots { capacity allocated free } cpuCores { capacity allocated free } memoryMb { capacity allocated free } storageGb { capacity allocated free } } } }`;

type Caller = Pick<Stack, 'gatewayUrl'> & { admin: SignedIn };

/** A node with what the scheduler says its allocations hold (read as the stack's SUPER_ADMIN). */
export async function nodeView(stack: Caller, id: string): Promise<NodeView> {
  const result = await graphql<{ node: NodeView }>(stack.gatewayUrl, NODE, { id }, stack.admin.headers);
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  assert.ok(result.data?.node);
  return result.data.node;
}

/**
 * Registers hosts carrying a label no other node has, so placements asking
 * for it see exactly this cluster, and waits until the scheduler has heard
 * of them (node.updated travels by event).
 */
export async function cluster(stack: Caller, slots: readonly number[]): Promise<{ pool: string; nodeIds: string[] }> {
  const pool = `pool-${randomUUID().slice(0, 8)}`;
  const nodeIds: string[] = [];
  for (const [index, deviceSlots] of slots.entries()) {
    const created = await graphql<{ createNode: { id: string } }>(
      stack.gatewayUrl,
      `mutation($input: CreateNodeInput!) { createNode(input: $input) { id } }`,
      { input: { name: `${pool}-${index}`, region: 'test', zone: `test-${index % 2}`, labels: [{ key: 'pool', value: pool }], cpuCores: 64, memoryMb: 262_144, storageGb: 4096, deviceSlots } },
      stack.admin.headers,
    );
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    assert.ok(created.data);
    nodeIds.push(created.data.createNode.id);
  }
  await eventually(async () => (await Promise.all(nodeIds.map((id) => nodeView(stack, id)))).every((node) => node.resources !== null), 'the scheduler knows the new nodes');
  return { pool, nodeIds };
}

/**
 * One heartbeat from every node's agent, as the simulated agents of `npm start` send every minute. Test stacks run
 * no agents (a heartbeat is a request, and would show in statement counts), so a file that places devices for
 * longer than the devices subgraph's silence limit (3 minutes) calls this, or its nodes go OFFLINE under it.
 */
export async function heartbeat(stack: Pick<Stack, 'subgraphUrls' | 'internalSecret'>): Promise<void> {
  const devicesUrl = stack.subgraphUrls['devices'];
  assert.ok(devicesUrl, 'the stack runs the devices subgraph');
  const round = await heartbeatRound({ devicesUrl, internalSecret: stack.internalSecret });
  assert.deepEqual(round.failed, [], 'every node called in');
}
