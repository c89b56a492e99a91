import type { SubgraphDefinition } from '@cloudphone/subgraph-kit';
import { readRoverConfig } from './rover-config.js';

export interface RegisteredSubgraph {
  name: string;
  routingUrl: string;
  schemaFile: string;
  definition: SubgraphDefinition<unknown>;
}

/**
 * The subgraphs of rover.yaml with their code: subgraph `x` is the package
 * `@cloudphone/x-subgraph` exporting `xSubgraph`. No second list to keep in step.
 */
export async function loadSubgraphs(): Promise<RegisteredSubgraph[]> {
  const config = await readRoverConfig();
  return Promise.all(
    config.subgraphs.map(async (subgraph) => {
      const module = (await import(`@cloudphone/${subgraph.name}-subgraph`)) as Record<string, unknown>;
      const definition = module[`${subgraph.name}Subgraph`] as SubgraphDefinition<unknown> | undefined;
      if (definition?.name !== subgraph.name) throw new Error(`@cloudphone/${subgraph.name}-subgraph does not export ${subgraph.name}Subgraph`);
      return { ...subgraph, definition };
    }),
  );
}
