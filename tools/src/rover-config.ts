import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT, repoPath } from './paths.js';

export interface RoverSubgraph {
  name: string;
  routingUrl: string;
  /** Absolute path of the committed SDL file. */
  schemaFile: string;
}

export interface RoverConfig {
  federationVersion: string;
  subgraphs: RoverSubgraph[];
}

function fail(message: string): never {
  throw new Error(`rover.yaml: ${message}`);
}

/** Reads rover.yaml (rover's supergraph config format): the one list of subgraphs. */
export async function readRoverConfig(file = repoPath('rover.yaml')): Promise<RoverConfig> {
  const document: unknown = parse(await readFile(file, 'utf8'));
  if (typeof document !== 'object' || document === null) fail('not a mapping');
  const { federation_version: version, subgraphs } = document as { federation_version?: unknown; subgraphs?: unknown };
  if (typeof version !== 'string' || !/^=?2\.\d+\.\d+$/.test(version)) fail('federation_version must pin a 2.x version, e.g. =2.14.4');
  if (typeof subgraphs !== 'object' || subgraphs === null) fail('subgraphs must be a mapping');
  const list = Object.entries(subgraphs as Record<string, unknown>).map(([name, entry]): RoverSubgraph => {
    const { routing_url: routingUrl, schema } = (entry ?? {}) as { routing_url?: unknown; schema?: { file?: unknown } };
    if (typeof routingUrl !== 'string') fail(`subgraph ${name} needs routing_url`);
    if (typeof schema?.file !== 'string') fail(`subgraph ${name} needs schema.file`);
    return { name, routingUrl, schemaFile: path.resolve(REPO_ROOT, schema.file) };
  });
  return { federationVersion: version.replace(/^=/, ''), subgraphs: list };
}
