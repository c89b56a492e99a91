import path from 'node:path';
import type { DatabaseTarget } from './database.js';

/**
 * The database target of a subgraph: PostgreSQL when its URL is set, else
 * embedded PGlite under `<dataRoot>/<service>` (in memory without a data root).
 */
export function resolveDatabaseTarget(service: string, url: string | undefined, dataRoot: string | undefined): DatabaseTarget {
  if (url !== undefined) return { kind: 'postgres', url };
  return { kind: 'pglite', dataDir: dataRoot === undefined ? undefined : path.join(dataRoot, service) };
}
