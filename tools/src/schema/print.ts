import { printSubgraphInThread } from '../stack/subgraph-thread.js';
import type { RegisteredSubgraph } from '../subgraph-registry.js';

/** A subgraph's SDL as its running server would serve it from `_service { sdl }`, without a database. */
export async function printSubgraph(subgraph: Pick<RegisteredSubgraph, 'name' | 'definition'>): Promise<string> {
  return `${(await printSubgraphInThread(subgraph.name, [...subgraph.definition.peers])).trim()}\n`;
}
