import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import { DEFAULT_QUERY_LIMITS, queryLimitRules } from '@cloudphone/gateway';
import { type DocumentNode, type GraphQLSchema, Kind, parse, specifiedRules, validate } from 'graphql';

/** A client operation of the corpus under schema/operations/. */
export interface ClientOperation {
  file: string;
  source: string;
}

export interface OperationProblem {
  operation: string;
  file: string;
  message: string;
}

function operationNames(document: DocumentNode): string[] {
  return document.definitions.flatMap((definition) =>
    definition.kind === Kind.OPERATION_DEFINITION ? [definition.name?.value ?? '(anonymous)'] : [],
  );
}

/**
 * Every client operation must validate against the API schema, within the
 * gateway's default query limits (depth, cost, aliases), and get a query plan
 * from the supergraph: what breaks a client, or what the gateway would
 * refuse, fails the check.
 */
export function checkOperations(supergraphSdl: string, apiSchema: GraphQLSchema, operations: readonly ClientOperation[]): OperationProblem[] {
  const supergraph = Supergraph.build(supergraphSdl);
  const planner = new QueryPlanner(supergraph);
  const problems: OperationProblem[] = [];
  const rules = [...specifiedRules, ...queryLimitRules(DEFAULT_QUERY_LIMITS)];
  for (const { file, source } of operations) {
    let document: DocumentNode;
    try {
      document = parse(source);
    } catch (error) {
      problems.push({ operation: '(unparsable)', file, message: (error as Error).message });
      continue;
    }
    const names = operationNames(document);
    if (names.length === 0) problems.push({ operation: '(none)', file, message: 'the file holds no operation' });
    const errors = validate(apiSchema, document, rules);
    if (errors.length > 0) {
      for (const error of errors) problems.push({ operation: names.join(', '), file, message: error.message });
      continue;
    }
    for (const name of names) {
      try {
        const operation = operationFromDocument(supergraph.schema, document, name === '(anonymous)' ? {} : { operationName: name });
        planner.buildQueryPlan(operation);
      } catch (error) {
        problems.push({ operation: name, file, message: `no query plan: ${(error as Error).message}` });
      }
    }
  }
  return problems;
}
