import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { type DatabaseTarget, databaseUrlOn, dropDatabase } from '@cloudphone/db';

export interface ThrowawayDatabases {
  targets: Record<string, DatabaseTarget>;
  /** Drops every database made here. */
  drop(): Promise<void>;
}

/** One fresh PostgreSQL database per subgraph (created on first open), dropped afterwards. */
export function throwawayPostgres(adminUrl: string, names: readonly string[]): ThrowawayDatabases {
  const run = randomBytes(4).toString('hex');
  const urls = Object.fromEntries(names.map((name) => [name, databaseUrlOn(adminUrl, `cloudphone_test_${run}_${name}`)]));
  return {
    targets: Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, { kind: 'postgres', url, poolSize: 5 } satisfies DatabaseTarget])),
    drop: async () => {
      await Promise.all(Object.values(urls).map((url) => dropDatabase(url)));
    },
  };
}

/** Dumps of freshly migrated embedded databases, shared by every test process of a run and the runs after it. */
const PGLITE_TEMPLATES = path.join(os.tmpdir(), 'cloudphone-pglite-templates');

/** In-memory PGlite for every subgraph, each started from a migrated template: nothing to clean up. */
export function inMemoryPglite(names: readonly string[]): Record<string, DatabaseTarget> {
  return Object.fromEntries(names.map((name) => [name, { kind: 'pglite', templateDir: PGLITE_TEMPLATES } satisfies DatabaseTarget]));
}
