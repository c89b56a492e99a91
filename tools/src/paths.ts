import { fileURLToPath } from 'node:url';

/** The repository root, wherever the tools are run from. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function repoPath(...segments: string[]): string {
  return [REPO_ROOT.replace(/\/$/, ''), ...segments].join('/');
}
