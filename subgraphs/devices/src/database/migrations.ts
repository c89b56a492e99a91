import { fileURLToPath } from 'node:url';

/** drizzle-kit writes this subgraph's migrations to drizzle/devices at the repository root. */
export const migrationsFolder = fileURLToPath(new URL('../../../../drizzle/devices', import.meta.url));
