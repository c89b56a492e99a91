import { readFile } from 'node:fs/promises';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import type { RoverSubgraph } from '../rover-config.js';

export interface CompositionOutcome {
  supergraphSdl?: string;
  errors: { code: string; message: string; locations: string[] }[];
  hints: { code: string; message: string }[];
}

/** Composes SDL texts with Apollo's own composition library (the version rover.yaml pins). */
export function composeSdl(subgraphs: { name: string; routingUrl: string; sdl: string }[]): CompositionOutcome {
  const result = composeServices(subgraphs.map(({ name, routingUrl, sdl }) => ({ name, url: routingUrl, typeDefs: parse(sdl) })));
  const hints = (result.hints ?? []).map((hint) => ({ code: hint.definition.code, message: hint.message }));
  if (result.errors) {
    return {
      errors: result.errors.map((error) => ({
        code: String(error.extensions['code'] ?? 'COMPOSITION_ERROR'),
        message: error.message,
        locations: (error.nodes ?? []).flatMap((node) =>
          node.loc ? [`${node.loc.source.name}:${node.loc.startToken.line}:${node.loc.startToken.column}`] : [],
        ),
      })),
      hints,
    };
  }
  return { supergraphSdl: `${result.supergraphSdl.trim()}\n`, errors: [], hints };
}

export async function composeFiles(subgraphs: RoverSubgraph[]): Promise<CompositionOutcome> {
  const inputs = await Promise.all(
    subgraphs.map(async ({ name, routingUrl, schemaFile }) => ({ name, routingUrl, sdl: await readFile(schemaFile, 'utf8') })),
  );
  return composeSdl(inputs);
}
