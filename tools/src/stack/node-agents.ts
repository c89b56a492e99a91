import { NODE_SILENCE_LIMIT_MS } from '@cloudphone/devices-subgraph';
import { type GraphqlTransport, postGraphql, readAllPages } from '../graphql-client.js';
import { serviceHeaders } from '../operator-auth.js';

/**
 * How often a simulated agent calls in: a node may miss two heartbeats before
 * the devices subgraph's health sweep finds it silent for NODE_SILENCE_LIMIT_MS
 * (3 minutes) and marks it OFFLINE.
 */
export const NODE_AGENT_INTERVAL_MS = NODE_SILENCE_LIMIT_MS / 3;
/** One call of a round may take this long before it is given up (the next round tries again). */
const CALL_TIMEOUT_MS = 10_000;
/** The service name the simulated agents sign as. */
export const NODE_AGENT_SERVICE = 'node-agent';

export interface NodeAgentsOptions {
  /**
   * The devices subgraph itself, not the gateway: the agents call in as a
   * platform service (signed with the internal secret), which only a subgraph
   * accepts; the gateway signs its own identities.
   */
  devicesUrl: string;
  internalSecret: string;
  /** Between the end of one round and the start of the next; default NODE_AGENT_INTERVAL_MS. */
  intervalMs?: number;
  /** Tests pass a fake. */
  fetch?: typeof fetch;
  /** After every round that listed the nodes. */
  onRound?: (round: HeartbeatRound) => void;
  /** A round that could not list the nodes, or a node whose heartbeat failed (the next round tries again). Default: a warning on stderr. */
  onError?: (error: Error) => void;
}

export interface HeartbeatRound {
  /** Names of the nodes that called in. */
  beaten: string[];
  /** Nodes whose heartbeat was refused or failed. */
  failed: { name: string; error: Error }[];
}

export interface NodeAgents {
  /** Ends the loop: no round starts after it, the round under way is aborted and awaited. */
  stop(): Promise<void>;
}

interface ListedNode {
  id: string;
  name: string;
}

/**
 * One round of every node's agent: the nodes the devices subgraph lists
 * (whatever their status: a real agent keeps calling in while its host is in
 * maintenance or draining, and its heartbeat brings an OFFLINE node back),
 * each with its own `recordNodeHeartbeat`, all at once.
 */
export async function heartbeatRound(options: Pick<NodeAgentsOptions, 'devicesUrl' | 'internalSecret' | 'fetch'>, signal?: AbortSignal): Promise<HeartbeatRound> {
  const headers = await serviceHeaders(options.internalSecret, NODE_AGENT_SERVICE);
  const transport = (): GraphqlTransport => ({
    ...(options.fetch ? { fetch: options.fetch } : {}),
    signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(CALL_TIMEOUT_MS)]) : AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  const nodes = await readAllPages<ListedNode>(options.devicesUrl, headers, 'nodes', 'id name', transport());
  const round: HeartbeatRound = { beaten: [], failed: [] };
  await Promise.all(
    nodes.map(async (node) => {
      try {
        await postGraphql(options.devicesUrl, headers, 'mutation Heartbeat($id: ID!) { recordNodeHeartbeat(id: $id) { id } }', { id: node.id }, transport());
        round.beaten.push(node.name);
      } catch (error) {
        round.failed.push({ name: node.name, error: error instanceof Error ? error : new Error(String(error)) });
      }
    }),
  );
  return round;
}

/**
 * Simulated host agents for the embedded demo (`npm start`): a heartbeat for
 * every node right away, then every `intervalMs`, so the demo's nodes stay
 * ONLINE and devices can be placed. Production hosts run real agents.
 */
export function startNodeAgents(options: NodeAgentsOptions): NodeAgents {
  const intervalMs = options.intervalMs ?? NODE_AGENT_INTERVAL_MS;
  const onError = options.onError ?? ((error: Error) => console.warn(`simulated node agents: ${error.message}`));
  const stopped = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;

  const runRound = (): void => {
    current = heartbeatRound(options, stopped.signal)
      .then((round) => {
        if (stopped.signal.aborted) return;
        for (const failure of round.failed) onError(new Error(`node ${failure.name}: ${failure.error.message}`));
        options.onRound?.(round);
      })
      .catch((error: unknown) => {
        if (!stopped.signal.aborted) onError(error instanceof Error ? error : new Error(String(error)));
      })
      .finally(() => {
        current = undefined;
        if (stopped.signal.aborted) return;
        timer = setTimeout(runRound, intervalMs);
        timer.unref();
      });
  };
  runRound();

  return {
    async stop() {
      stopped.abort();
      clearTimeout(timer);
      await current;
    },
  };
}
