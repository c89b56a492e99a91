import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT, repoPath } from '../paths.js';
import { loadSubgraphs } from '../subgraph-registry.js';
import { composeSdl } from './composition.js';
import { printSubgraph } from './print.js';

// `npm run schema:check`: the committed SDL and supergraph must be what the code produces.
const problems: string[] = [];
const subgraphs = await loadSubgraphs();
const printed = await Promise.all(subgraphs.map(async (subgraph) => ({ ...subgraph, sdl: await printSubgraph(subgraph) })));
for (const subgraph of printed) {
  const committed = await readFile(subgraph.schemaFile, 'utf8').catch(() => '');
  if (committed !== subgraph.sdl) problems.push(`drift: ${path.relative(REPO_ROOT, subgraph.schemaFile)} differs from the ${subgraph.name} code (run npm run schema:emit)`);
}
const outcome = composeSdl(printed);
for (const error of outcome.errors) problems.push(`composition error[${error.code}]: ${error.message}`);
if (outcome.supergraphSdl !== undefined) {
  const committed = await readFile(repoPath('schema', 'supergraph.graphql'), 'utf8').catch(() => '');
  if (committed !== outcome.supergraphSdl) problems.push('drift: schema/supergraph.graphql differs from the composed subgraphs (run npm run schema:compose)');
}
for (const problem of problems) console.error(problem);
console.log(problems.length === 0 ? `schema check passed: ${subgraphs.length} subgraphs, supergraph current` : `schema check failed: ${problems.length} problem(s)`);
process.exit(problems.length === 0 ? 0 : 1);
