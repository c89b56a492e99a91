import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadSubgraphs } from '../subgraph-registry.js';
import { printSubgraph } from './print.js';

// `npm run schema:emit`: writes schema/<subgraph>.graphql for every subgraph of rover.yaml.
for (const subgraph of await loadSubgraphs()) {
  await writeFile(subgraph.schemaFile, await printSubgraph(subgraph));
  console.log(`wrote ${path.relative(process.cwd(), subgraph.schemaFile)}`);
}
