import { fileURLToPath } from 'node:url';

/** drizzle-kit writes this subgraph's migrations to drizzle/apps at the repository root. */
export const migrationsFolder = fileURLToPath(new URL('../../../../drizzle/apps', import.meta.url));
