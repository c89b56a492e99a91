import { fileURLToPath } from 'node:url';

/** drizzle-kit writes this subgraph's migrations to drizzle/scheduler at the repository root. */
export const migrationsFolder = fileURLToPath(new URL('../../../../drizzle/scheduler', import.meta.url));
