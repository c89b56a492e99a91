import { fileURLToPath } from 'node:url';

/** drizzle-kit writes this subgraph's migrations to drizzle/users at the repository root. */
export const migrationsFolder = fileURLToPath(new URL('../../../../drizzle/users', import.meta.url));
