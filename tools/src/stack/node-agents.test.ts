import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { NODE_SILENCE_LIMIT_MS } from '@cloudphone/devices-subgraph';
import { IDENTITY_HEADER, IdentityAssertions } from '@cloudphone/identity';
import { NODE_AGENT_INTERVAL_MS, NODE_AGENT_SERVICE, type HeartbeatRound, heartbeatRound, startNodeAgents } from './node-agents.js';

const SECRET = randomBytes(32).toString('base64url');
const DEVICES_URL = 'http://devices.test/graphql';

interface FakeDevices {
  fetch: typeof fetch;
  /** Node ids in the order their heartbeats arrived. */
  beats: string[];
  /** The principal of every call, verified as the devices subgraph would. */
  callers: Promise<string | null>[];
}

/**
 * The devices subgraph as the agents see it: `nodes` two at a time, and
 * `recordNodeHeartbeat`; `heartbeat` may answer otherwise for one node.
 */
function fakeDevices(ids: string[], heartbeat?: (id: string, signal: AbortSignal | undefined) => Promise<Response> | undefined): FakeDevices {
  const assertions = new IdentityAssertions(SECRET);
  const beats: string[] = [];
  const callers: Promise<string | null>[] = [];
  const fake = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    assert.equal(String(url), DEVICES_URL);
    const headers = init?.headers as Record<string, string>;
    callers.push(assertions.verify(headers[IDENTITY_HEADER]).then((principal) => principal.service ?? null));
    const { query, variables } = JSON.parse(String(init?.body)) as { query: string; variables: { after?: string | null; id?: string } };
    if (query.includes('recordNodeHeartbeat')) {
      const id = String(variables.id);
      const answer = heartbeat?.(id, init?.signal ?? undefined);
      if (answer) return answer;
      beats.push(id);
      return Response.json({ data: { recordNodeHeartbeat: { id } } });
    }
    assert.match(query, /nodes\(first: 100, after: \$after\)/);
    const start = variables.after ? ids.indexOf(variables.after) + 1 : 0;
    const page = ids.slice(start, start + 2);
    return Response.json({
      data: { nodes: { edges: page.map((id) => ({ node: { id, name: `name-${id}` } })), pageInfo: { hasNextPage: start + 2 < ids.length, endCursor: page.at(-1) ?? null } } },
    });
  };
  return { fetch: fake as typeof fetch, beats, callers };
}

async function until(condition: () => boolean, message: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('an agent calls in every minute, so a node misses two heartbeats before the sweep finds it silent', () => {
  assert.equal(NODE_AGENT_INTERVAL_MS, 60_000);
  assert.ok(3 * NODE_AGENT_INTERVAL_MS <= NODE_SILENCE_LIMIT_MS);
});

test('a round heartbeats every node the devices subgraph lists, across pages, signed as the node-agent service', async () => {
  const ids = ['a', 'b', 'c', 'd', 'e'];
  const devices = fakeDevices(ids);
  const round = await heartbeatRound({ devicesUrl: DEVICES_URL, internalSecret: SECRET, fetch: devices.fetch });
  assert.deepEqual([...devices.beats].sort(), ids);
  assert.deepEqual([...round.beaten].sort(), ids.map((id) => `name-${id}`));
  assert.deepEqual(round.failed, []);
  // Three pages of nodes and five heartbeats, each as the service.
  assert.deepEqual(await Promise.all(devices.callers), Array.from({ length: 8 }, () => NODE_AGENT_SERVICE));
});

test('one refused heartbeat is reported and the other nodes still call in', async () => {
  const devices = fakeDevices(['a', 'gone', 'c'], (id) => (id === 'gone' ? Promise.resolve(Response.json({ data: null, errors: [{ message: 'Node not found', extensions: { code: 'NODE_NOT_FOUND' } }] })) : undefined));
  const round = await heartbeatRound({ devicesUrl: DEVICES_URL, internalSecret: SECRET, fetch: devices.fetch });
  assert.deepEqual([...round.beaten].sort(), ['name-a', 'name-c']);
  assert.deepEqual(round.failed.map((failure) => failure.name), ['name-gone']);
  assert.match(round.failed[0]?.error.message ?? '', /NODE_NOT_FOUND/);
});

test('the agents beat at once, then every interval, each node once a round, and stop cleanly', async () => {
  const devices = fakeDevices(['a', 'b', 'c']);
  const rounds: HeartbeatRound[] = [];
  const errors: Error[] = [];
  const agents = startNodeAgents({ devicesUrl: DEVICES_URL, internalSecret: SECRET, fetch: devices.fetch, intervalMs: 20, onRound: (round) => rounds.push(round), onError: (error) => errors.push(error) });
  await until(() => rounds.length >= 3, 'three rounds');
  await agents.stop();
  const beatsAtStop = devices.beats.length;
  assert.equal(beatsAtStop % 3, 0, 'every round beats each node once');
  for (const id of ['a', 'b', 'c']) assert.equal(devices.beats.filter((beat) => beat === id).length, beatsAtStop / 3);
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.equal(devices.beats.length, beatsAtStop, 'no heartbeat after stop');
  assert.deepEqual(errors, []);
});

test('stop aborts a round under way and waits for it, without reporting it as a failure', async () => {
  let hanging = 0;
  const devices = fakeDevices(['a'], (_id, signal) => {
    hanging += 1;
    return new Promise<Response>((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error)));
  });
  const errors: Error[] = [];
  const rounds: HeartbeatRound[] = [];
  const agents = startNodeAgents({ devicesUrl: DEVICES_URL, internalSecret: SECRET, fetch: devices.fetch, intervalMs: 10, onRound: (round) => rounds.push(round), onError: (error) => errors.push(error) });
  await until(() => hanging === 1, 'the heartbeat is under way');
  await agents.stop();
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.equal(hanging, 1, 'no round after stop');
  assert.deepEqual(rounds, []);
  assert.deepEqual(errors, []);
});

test('a round that cannot reach the devices subgraph is reported, and the next round calls in', async () => {
  const devices = fakeDevices(['a', 'b']);
  let down = true;
  const flaky = (async (url: string | URL | Request, init?: RequestInit) => {
    if (down) {
      down = false;
      throw new TypeError('fetch failed');
    }
    return devices.fetch(url, init);
  }) as typeof fetch;
  const errors: Error[] = [];
  const rounds: HeartbeatRound[] = [];
  const agents = startNodeAgents({ devicesUrl: DEVICES_URL, internalSecret: SECRET, fetch: flaky, intervalMs: 10, onRound: (round) => rounds.push(round), onError: (error) => errors.push(error) });
  await until(() => rounds.length >= 1, 'a round after the failed one');
  await agents.stop();
  assert.deepEqual(errors.map((error) => error.message), ['fetch failed']);
  assert.deepEqual([...(rounds[0]?.beaten ?? [])].sort(), ['name-a', 'name-b']);
});
