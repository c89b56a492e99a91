import { Supergraph } from '@apollo/federation-internals';

/** The subgraphs named in a supergraph SDL, with their routing URLs. */
export function subgraphsOf(supergraphSdl: string): { name: string; url: string }[] {
  return Supergraph.build(supergraphSdl)
    .subgraphs()
    .values()
    .map((subgraph) => ({ name: subgraph.name, url: subgraph.url }));
}
