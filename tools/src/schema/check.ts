import { readFile } from 'node:fs/promises';
import { repoPath } from '../paths.js';
import { loadSubgraphs } from '../subgraph-registry.js';
import { checkSupergraph } from './governance/checker.js';
import { loadApprovedChanges, loadOperations, supergraphAt } from './governance/inputs.js';
import { renderReport } from './governance/report.js';
import { buildOperationManifest, committedOperationManifest } from './operation-manifest.js';
import { printSubgraph } from './print.js';

// `npm run schema:check [-- --base <git ref>]`: drift, composition, breaking changes against the base
// (default: the previous commit), client operations, their manifest, and lint. Exits non-zero when any fails.

function baseRefFromArguments(argv: string[]): string {
  const index = argv.indexOf('--base');
  if (index === -1) return 'HEAD~1';
  const ref = argv[index + 1];
  if (!ref || ref.startsWith('--')) throw new Error('--base needs a git ref');
  return ref;
}

const baseRef = baseRefFromArguments(process.argv.slice(2));
const subgraphs = await loadSubgraphs();
const operations = await loadOperations();
const report = await checkSupergraph({
  subgraphs: await Promise.all(
    subgraphs.map(async (subgraph) => ({
      name: subgraph.name,
      routingUrl: subgraph.routingUrl,
      printedSdl: await printSubgraph(subgraph),
      committedSdl: await readFile(subgraph.schemaFile, 'utf8').catch(() => undefined),
    })),
  ),
  committedSupergraph: await readFile(repoPath('schema', 'supergraph.graphql'), 'utf8').catch(() => undefined),
  base: { ref: baseRef, supergraphSdl: await supergraphAt(baseRef) },
  operations,
  manifest: { committed: await committedOperationManifest(), generated: await buildOperationManifest(operations) },
  approved: await loadApprovedChanges(),
});
console.log(renderReport(report));
process.exit(report.passed ? 0 : 1);
