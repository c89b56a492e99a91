import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';

/**
 * The version of PGlite in use: a dump is only loaded by the PGlite that made
 * it. (Its package.json is not exported; it sits two folders above the entry.)
 */
async function pgliteVersion(): Promise<string> {
  // createRequire rather than import.meta.resolve: the subgraph bundles are CommonJS, where only import.meta.url is kept.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = JSON.parse(await readFile(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? 'unknown';
}

/** Names the migrated database: the PGlite version, the settings and every migration file's name and content. */
async function templateKey(migrationsFolder: string, settings: readonly string[]): Promise<string> {
  const hash = createHash('sha256').update(await pgliteVersion()).update(settings.join('\n'));
  const files = (await readdir(migrationsFolder, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  const names = files.map((entry) => path.join(entry.parentPath, entry.name)).sort();
  for (const file of names) hash.update(path.relative(migrationsFolder, file)).update(await readFile(file));
  return hash.digest('hex').slice(0, 32);
}

/**
 * A dump of an empty embedded database with every migration applied, kept in
 * `templateDir` and made there on first use. A fresh in-memory PGlite spends
 * most of its start in initdb (seconds each, six per stack); one loaded from
 * this dump starts in about a second, already migrated. Written under a
 * temporary name and renamed, so processes making it at once never read half
 * of one.
 */
export async function migratedTemplate(templateDir: string, migrationsFolder: string, settings: readonly string[]): Promise<Blob> {
  const file = path.join(templateDir, `${await templateKey(migrationsFolder, settings)}.tar`);
  const existing = await readFile(file).catch(() => undefined);
  if (existing !== undefined) return new Blob([existing]);

  const client = await PGlite.create({ postgresqlconf: [...settings] });
  try {
    await migratePglite(drizzlePglite(client), { migrationsFolder });
    const dump = await client.dumpDataDir('none');
    await mkdir(templateDir, { recursive: true });
    const partial = `${file}.${randomBytes(6).toString('hex')}.partial`;
    await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
    await rename(partial, file).catch(async (error: unknown) => {
      await rm(partial, { force: true });
      throw error;
    });
    return dump;
  } finally {
    await client.close();
  }
}
