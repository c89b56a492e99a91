import { REQUEST_ID_HEADER, requestIdFrom, withRequestId } from '@cloudphone/errors';
import type { RequestHandler } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { QueryLimits } from '../config.js';
import { tokenLimitError } from '../query-limits.js';

/** The query text of a GraphQL-over-HTTP request: `query` of a JSON body (POST) or of the URL (GET). */
function queryOf(request: { method: string; body?: unknown; query?: unknown }): string | undefined {
  const carrier = request.method === 'GET' ? request.query : request.body;
  if (typeof carrier !== 'object' || carrier === null || Array.isArray(carrier)) return undefined;
  const query = (carrier as { query?: unknown }).query;
  return typeof query === 'string' ? query : undefined;
}

/**
 * The token limit over HTTP, in front of Apollo Server (whose parser takes no
 * token counter, and whose hooks before parsing cannot answer a client error):
 * graphql-armor's parser reads the document and stops at the first token over
 * the limit, so an oversized document is refused, 400 QUERY_TOO_COMPLEX (limit
 * 'tokens'), before authentication, parsing or validation, at the cost of
 * reading `maxTokens` tokens. Anything else goes on to Apollo Server, which
 * answers it (a syntax error, a batch, a missing query) as it would have.
 * `onRefused` hears the code of each refusal.
 */
export function tokenLimitMiddleware(
  limits: QueryLimits,
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError,
  onRefused: (code: string) => void,
): RequestHandler {
  return (request, response, next) => {
    const query = queryOf(request);
    const refused = query === undefined ? undefined : tokenLimitError(query, limits);
    if (!refused) {
      next();
      return;
    }
    const requestId = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
    onRefused('QUERY_TOO_COMPLEX');
    response
      .status(400)
      .set(REQUEST_ID_HEADER, requestId)
      .type('application/json')
      .send(JSON.stringify({ errors: withRequestId([formatError(refused.toJSON(), refused)], requestId) }));
  };
}
