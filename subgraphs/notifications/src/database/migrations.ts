import { fileURLToPath } from 'node:url';

/** drizzle-kit writes this subgraph's migrations to drizzle/notifications at the repository root. */
export const migrationsFolder = fileURLToPath(new URL('../../../../drizzle/notifications', import.meta.url));
