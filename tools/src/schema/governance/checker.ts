import { composeSdl } from '../composition.js';
import { apiSchemaOf } from './api-schema.js';
import { type ApprovedChange, type SchemaChange, classifyChanges } from './changes.js';
import { type LintProblem, lintSchema } from './lint.js';
import { type ClientOperation, type OperationProblem, checkOperations } from './operations.js';

export interface CheckedSubgraph {
  name: string;
  routingUrl: string;
  /** The SDL the subgraph's code produces now. */
  printedSdl: string;
  /** The SDL committed in schema/<name>.graphql. */
  committedSdl: string | undefined;
}

export interface CheckInput {
  subgraphs: CheckedSubgraph[];
  committedSupergraph: string | undefined;
  /** The supergraph to compare against; undefined when the base has none. */
  base: { ref: string; supergraphSdl: string | undefined };
  operations: ClientOperation[];
  /** schema/operations/manifest.json as committed, and as the generator makes it from `operations` now. */
  manifest?: { committed: string | undefined; generated: string };
  approved: ApprovedChange[];
}

export interface CheckReport {
  baseRef: string;
  comparedWithBase: boolean;
  drift: string[];
  compositionErrors: { code: string; message: string; locations: string[] }[];
  hints: { code: string; message: string }[];
  changes: SchemaChange[];
  operationCount: number;
  operationProblems: OperationProblem[];
  lintProblems: LintProblem[];
  passed: boolean;
}

/**
 * The checks rover and GraphOS run on a subgraph change, done offline with
 * Apollo's composition and query planner: drift, composition, breaking
 * changes against a base, client operations, and lint.
 */
export async function checkSupergraph(input: CheckInput): Promise<CheckReport> {
  const drift: string[] = [];
  for (const subgraph of input.subgraphs) {
    if (subgraph.committedSdl !== subgraph.printedSdl) drift.push(`schema/${subgraph.name}.graphql differs from the ${subgraph.name} code: run npm run schema:emit`);
  }
  // The gateway warms its query plans from the manifest: a stale one leaves the console's new operations cold.
  if (input.manifest && input.manifest.committed !== input.manifest.generated) drift.push('schema/operations/manifest.json differs from the operations as Apollo Client sends them: run npm run schema:manifest');
  const composition = composeSdl(input.subgraphs.map(({ name, routingUrl, printedSdl }) => ({ name, routingUrl, sdl: printedSdl })));
  const report: CheckReport = {
    baseRef: input.base.ref,
    comparedWithBase: false,
    drift,
    compositionErrors: composition.errors,
    hints: composition.hints,
    changes: [],
    operationCount: input.operations.length,
    operationProblems: [],
    lintProblems: [],
    passed: false,
  };
  if (composition.supergraphSdl === undefined) return report;
  if (input.committedSupergraph !== composition.supergraphSdl) drift.push('schema/supergraph.graphql differs from the composed subgraphs: run npm run schema:compose');

  const apiSchema = apiSchemaOf(composition.supergraphSdl);
  if (input.base.supergraphSdl !== undefined) {
    report.changes = await classifyChanges(apiSchemaOf(input.base.supergraphSdl), apiSchema, input.approved);
    report.comparedWithBase = true;
  }
  report.operationProblems = checkOperations(composition.supergraphSdl, apiSchema, input.operations);
  report.lintProblems = lintSchema(apiSchema);
  const unapproved = report.changes.filter((change) => change.severity === 'BREAKING' && change.approvedBecause === undefined);
  report.passed = drift.length === 0 && unapproved.length === 0 && report.operationProblems.length === 0 && report.lintProblems.length === 0;
  return report;
}
