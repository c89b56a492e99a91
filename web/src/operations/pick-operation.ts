import type { TypedDocumentNode } from '@apollo/client';
import { Kind, parse } from 'graphql';

/**
 * One named operation out of a committed `schema/operations/*.graphql` file (a file may hold several,
 * e.g. a query and its mutations; Apollo Client takes one operation per document). Fragments stay.
 */
export function pickOperation<TData, TVariables extends Record<string, unknown>>(source: string, name: string): TypedDocumentNode<TData, TVariables> {
  const document = parse(source);
  const definitions = document.definitions.filter((definition) => definition.kind !== Kind.OPERATION_DEFINITION || definition.name?.value === name);
  if (!definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION)) throw new Error(`the operation file holds no operation named ${name}`);
  return { ...document, definitions };
}
