import { noteRequestId, withRequestId } from '@cloudphone/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** The gateway's Apollo `formatError`, shared so that HTTP and the socket show errors alike. */
export type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * Gives a codeless engine error the code Apollo Server gives it over HTTP
 * (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT for a
 * variable that does not coerce); the formatter would otherwise take it for
 * an unexpected failure. Errors with a code, or with an AppError underneath
 * (the query limits), keep theirs.
 */
export function withEngineCode(error: GraphQLError, code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED' | 'BAD_USER_INPUT'): GraphQLError {
  if (typeof error.extensions['code'] === 'string') return error;
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    extensions: { ...error.extensions, code },
  });
}

/** Every error sent over the socket, in the public shape, stamped with the connection's request id. */
export function formatSocketErrors(errors: readonly GraphQLError[], format: ErrorFormatter, requestId: string): GraphQLFormattedError[] {
  noteRequestId(errors, requestId);
  return withRequestId(
    errors.map((error) => format(error.toJSON(), error)),
    requestId,
  );
}
