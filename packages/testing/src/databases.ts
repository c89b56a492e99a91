import { randomBytes } from 'node:crypto';
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

/** In-memory PGlite for every subgraph: nothing to clean up. */
export function inMemoryPglite(names: readonly string[]): Record<string, DatabaseTarget> {
  return Object.fromEntries(names.map((name) => [name, { kind: 'pglite' } satisfies DatabaseTarget]));
}
