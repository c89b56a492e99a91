import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from '@cloudphone/config';

/**
 * One operation of the console, as Apollo Client sends it (`__typename`
 * added, printed by graphql-js): `id` is the sha256 of `body`, which is also
 * the APQ hash and Apollo Server's `queryHash` of that request.
 */
export interface ManifestOperation {
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

/** Apollo's persisted query manifest format (`@apollo/generate-persisted-query-manifest`), version 1. */
const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({
      id: z.string().regex(/^[0-9a-f]{64}$/),
      name: z.string().min(1),
      type: z.enum(['query', 'mutation', 'subscription']),
      body: z.string().min(1),
    }),
  ),
});

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Reads a manifest and checks it: a wrong format, or an id that is not the
 * hash of its body (a hand-edited file), fails the gateway at boot rather
 * than warming plans or answering hashes for text no client sends.
 */
export async function loadOperationManifest(path: string): Promise<ManifestOperation[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`operation manifest ${path}: ${(error as Error).message}`);
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) throw new Error(`operation manifest ${path}: not an Apollo persisted query manifest (${result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')})`);
  for (const operation of result.data.operations) {
    if (sha256Hex(operation.body) !== operation.id) throw new Error(`operation manifest ${path}: ${operation.name}'s id is not the sha256 of its body (regenerate it: npm run schema:manifest)`);
  }
  return result.data.operations;
}
