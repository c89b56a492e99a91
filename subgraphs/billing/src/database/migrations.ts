import { fileURLToPath } from 'node:url';

/** drizzle-kit writes this subgraph's migrations to drizzle/billing at the repository root. */
export const migrationsFolder = fileURLToPath(new URL('../../../../drizzle/billing', import.meta.url));
