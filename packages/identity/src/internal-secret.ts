import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The secret shared by the gateway and every subgraph: INTERNAL_AUTH_SECRET
 * when given (always in production, where the caller refuses to start
 * without it); otherwise a development secret created once in a file, which
 * the embedded stack's gateway and subgraphs share.
 */
export async function resolveInternalSecret(options: { secret: string | undefined; developmentFile: string }): Promise<string> {
  if (options.secret !== undefined) return options.secret;
  const existing = await readFile(options.developmentFile, 'utf8').catch(() => undefined);
  if (existing) return existing.trim();
  const secret = randomBytes(32).toString('base64url');
  await mkdir(path.dirname(options.developmentFile), { recursive: true });
  // Written whole, then linked into place: when processes race, the first link wins, and
  // nobody ever reads a half-written file.
  const draft = `${options.developmentFile}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, secret, { mode: 0o600 });
  try {
    await link(draft, options.developmentFile);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(options.developmentFile, 'utf8')).trim();
    throw error;
  } finally {
    await unlink(draft);
  }
}

/** Where the development secret lives, beside the embedded databases' folder. */
export function developmentSecretFile(dataDir: string): string {
  return path.join(dataDir, '..', 'auth', 'internal-secret');
}
