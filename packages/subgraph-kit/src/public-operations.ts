import type { ApolloServerPlugin } from '@apollo/server';
import { AppError } from '@cloudphone/errors';
import { type FragmentDefinitionNode, GraphQLError, Kind, type SelectionSetNode } from 'graphql';
import type { RequestContext } from './request-context.js';

/** Root field names of an operation, through fragments and inline fragments. */
export function rootFieldNames(selectionSet: SelectionSetNode, fragments: Readonly<Record<string, FragmentDefinitionNode>>, seen = new Set<string>()): string[] {
  const names: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) names.push(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) names.push(...rootFieldNames(selection.selectionSet, fragments, seen));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments[selection.name.value];
      if (fragment) names.push(...rootFieldNames(fragment.selectionSet, fragments, seen));
    }
  }
  return names;
}

/**
 * Closed by default: a caller the gateway vouched for without credentials
 * (anonymous) reaches only the root fields listed as public (sign-in and the
 * like); anything else, `_entities` included, is UNAUTHENTICATED before it runs.
 */
export function publicOperationsPlugin(publicRootFields: readonly string[]): ApolloServerPlugin<RequestContext> {
  const allowed = new Set([...publicRootFields, '__typename']);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document }) {
          if (contextValue.principal.kind !== 'anonymous' || !operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          const closed = rootFieldNames(operation.selectionSet, fragments).find((name) => !allowed.has(name));
          if (closed !== undefined) {
            const error = new AppError('UNAUTHENTICATED', 'Sign in first: send an access token or an API key', { internalMessage: `anonymous call of ${closed}` });
            // An ordinary GraphQL error (HTTP 200): the gateway relays it as this subgraph's answer, not as a failed fetch.
            throw new GraphQLError(error.userMessage, { originalError: error, extensions: { code: error.code, http: { status: 200 } } });
          }
        },
      };
    },
  };
}
