import { CombinedGraphQLErrors, ServerError } from '@apollo/client';
import type { GraphQLFormattedError } from 'graphql';

/** What the console shows of one error: the platform's code and request id travel in `extensions`. */
export interface ErrorDetail {
  message: string;
  code: string | undefined;
  requestId: string | undefined;
  service: string | undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function fromGraphql(error: GraphQLFormattedError): ErrorDetail {
  return { message: error.message, code: text(error.extensions?.['code']), requestId: text(error.extensions?.['requestId']), service: text(error.extensions?.['service']) };
}

/** GraphQL errors in a refused response's body (e.g. 401 or 429 as application/json). */
function fromBody(body: string): ErrorDetail[] {
  try {
    const parsed = JSON.parse(body) as { errors?: GraphQLFormattedError[] };
    return Array.isArray(parsed.errors) ? parsed.errors.map(fromGraphql) : [];
  } catch {
    return [];
  }
}

export function errorDetails(error: unknown): ErrorDetail[] {
  if (CombinedGraphQLErrors.is(error)) return error.errors.map(fromGraphql);
  if (ServerError.is(error)) {
    const details = fromBody(error.bodyText);
    return details.length > 0 ? details : [{ message: `The gateway answered HTTP ${error.statusCode}`, code: undefined, requestId: undefined, service: undefined }];
  }
  const message = error instanceof Error ? error.message : String(error);
  return [{ message, code: undefined, requestId: undefined, service: undefined }];
}
