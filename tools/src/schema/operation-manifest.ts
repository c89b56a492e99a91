import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromGraphQLCodegenPersistedDocuments, generatePersistedQueryManifest } from '@apollo/generate-persisted-query-manifest';
import { Kind, parse, print } from 'graphql';
import { repoPath } from '../paths.js';
import type { ClientOperation } from './governance/operations.js';

/** Where the manifest of the committed operations lives, beside them (the gateway's default OPERATION_MANIFEST_PATH). */
export const MANIFEST_FILE = repoPath('schema', 'operations', 'manifest.json');

/**
 * Each operation of a file as the console's `pickOperation` hands it to
 * Apollo Client (web/src/operations/pick-operation.ts): the one operation
 * with the file's fragments. Apollo's generator takes one operation per
 * document, and our files may hold several (a query and its mutations).
 */
export function splitOperations(operations: readonly ClientOperation[]): string[] {
  return operations.flatMap(({ source }) => {
    const document = parse(source);
    return document.definitions.flatMap((definition) => {
      if (definition.kind !== Kind.OPERATION_DEFINITION) return [];
      const name = definition.name?.value;
      const definitions = document.definitions.filter((other) => other.kind !== Kind.OPERATION_DEFINITION || other.name?.value === name);
      return [print({ ...document, definitions })];
    });
  });
}

/**
 * The persisted query manifest of the committed operations, made by Apollo's
 * own generator: it runs every operation through an Apollo Client (the
 * console's major version, its document transforms: `__typename` added) and
 * records the body the client would send, with id = sha256(body). The
 * documents reach it through its GraphQL Codegen source, the one public way
 * to hand it documents that are not one operation per file.
 */
export async function buildOperationManifest(operations: readonly ClientOperation[]): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'operation-manifest-'));
  try {
    const documents = path.join(folder, 'documents.json');
    const sources = splitOperations(operations);
    await writeFile(documents, JSON.stringify(Object.fromEntries(sources.map((source, index) => [String(index), source]))));
    const manifest = await generatePersistedQueryManifest({ documents: fromGraphQLCodegenPersistedDocuments(documents) }, undefined);
    // As the generator's CLI writes it, with the final newline our files have.
    return `${JSON.stringify(manifest, null, 2)}\n`;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The committed manifest, or undefined when there is none. */
export async function committedOperationManifest(): Promise<string | undefined> {
  return readFile(MANIFEST_FILE, 'utf8').catch(() => undefined);
}
