import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT, repoPath } from '../../paths.js';
import type { ApprovedChange } from './changes.js';
import type { ClientOperation } from './operations.js';

/** The supergraph committed at a git ref; undefined when the ref or the file does not exist. */
export async function supergraphAt(ref: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)('git', ['show', `${ref}:schema/supergraph.graphql`], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch {
    return undefined;
  }
}

async function graphqlFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) return graphqlFiles(full);
      return Promise.resolve(entry.name.endsWith('.graphql') ? [full] : []);
    }),
  );
  return nested.flat().sort();
}

export async function loadOperations(directory = repoPath('schema', 'operations')): Promise<ClientOperation[]> {
  const files = await graphqlFiles(directory);
  return Promise.all(files.map(async (file) => ({ file: path.relative(REPO_ROOT, file), source: await readFile(file, 'utf8') })));
}

export async function loadApprovedChanges(file = repoPath('schema', 'approved-changes.yaml')): Promise<ApprovedChange[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const entries: unknown = parseYaml(text) ?? [];
  if (!Array.isArray(entries)) throw new Error(`${file}: expected a list of { coordinate, type, reason }`);
  return entries.map((entry: unknown, index) => {
    const { coordinate, type, reason } = (entry ?? {}) as Record<string, unknown>;
    if (typeof coordinate !== 'string' || typeof type !== 'string' || typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(`${file}: entry ${index + 1} needs coordinate, type and a reason`);
    }
    return { coordinate, type, reason };
  });
}
