import type { SubgraphDefinition } from '@cloudphone/subgraph-kit';
import { runSubgraphWorker } from './subgraph-worker-runtime.js';

/**
 * The plain (unbundled) subgraph worker: it imports the package of the
 * subgraph it is asked for. Used when no bundle was built for it.
 */
await runSubgraphWorker(async (name) => {
  const module = (await import(`@cloudphone/${name}-subgraph`)) as Record<string, unknown>;
  const definition = module[`${name}Subgraph`] as SubgraphDefinition<unknown> | undefined;
  if (definition?.name !== name) throw new Error(`@cloudphone/${name}-subgraph does not export ${name}Subgraph`);
  return definition;
});
