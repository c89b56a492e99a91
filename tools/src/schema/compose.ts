import { writeFile } from 'node:fs/promises';
import { repoPath } from '../paths.js';
import { readRoverConfig } from '../rover-config.js';
import { composeFiles } from './composition.js';

// `npm run schema:compose`: composes the committed subgraph SDL of rover.yaml into schema/supergraph.graphql.
const config = await readRoverConfig();
const outcome = await composeFiles(config.subgraphs);
for (const hint of outcome.hints) console.log(`HINT ${hint.code}: ${hint.message}`);
if (!outcome.supergraphSdl) {
  for (const error of outcome.errors) console.error(`error[${error.code}]: ${error.message}${error.locations.length ? `\n  at ${error.locations.join(', ')}` : ''}`);
  console.error(`composition failed with ${outcome.errors.length} error(s)`);
  process.exit(1);
}
await writeFile(repoPath('schema', 'supergraph.graphql'), outcome.supergraphSdl);
console.log(`composed ${config.subgraphs.length} subgraphs (federation ${config.federationVersion}) into schema/supergraph.graphql`);
