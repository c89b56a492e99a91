import type { ApolloServerPlugin } from '@apollo/server';
import { badUserInput } from '@cloudphone/errors';
import { type ASTNode, GraphQLError, visit } from 'graphql';

const NUL = '\u0000';

/** The path of the first string holding a NUL character inside a variable's value, if any. */
export function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulPath(item, `${path}[${index}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulPath(item, `${path}.${key}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Whether a string literal written in the document itself holds a NUL character. */
function literalWithNul(document: ASTNode): boolean {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (node.value.includes(NUL)) found = true;
    },
  });
  return found;
}

/**
 * PostgreSQL's text cannot hold U+0000: a NUL character in any argument would
 * reach the database as an encoding error and come back as INTERNAL_ERROR.
 * It is the caller's input that is wrong, so it is refused before anything
 * runs, as BAD_USER_INPUT naming the variable.
 */
export function storableTextPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          const variable = nulPath(request.variables ?? {}, '')?.replace(/^\./, '$');
          if (variable === undefined && !(operation !== null && literalWithNul(document))) return;
          const error = badUserInput('Text may not contain the NUL character (U+0000)', variable ?? 'argument');
          throw new GraphQLError(error.userMessage, { originalError: error, extensions: { code: error.code, http: { status: 200 } } });
        },
      };
    },
  };
}
