import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { QueryLimits } from '../config.js';
import { pageSizeErrors } from '../query-limits.js';

/**
 * The `first`/`last` limit on values given through variables, which
 * validation cannot see (literals are refused there): once Apollo Server has
 * resolved the operation, before anything executes, over HTTP 400 with
 * QUERY_TOO_COMPLEX (limit 'first').
 */
export function pageSizePlugin<TContext extends object>(limits: QueryLimits): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, schema }) {
          const [refused] = pageSizeErrors(document, request.operationName, request.variables, schema, limits);
          if (!refused) return;
          throw new GraphQLError(refused.message, {
            ...(refused.nodes ? { nodes: refused.nodes } : {}),
            ...(refused.originalError ? { originalError: refused.originalError } : {}),
            extensions: { ...refused.extensions, http: { status: 400 } },
          });
        },
      };
    },
  };
}
