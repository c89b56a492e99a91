import type { SQL } from 'drizzle-orm';
import type { Database } from './database.js';

/** Rows of a raw statement, whichever driver runs it (postgres.js returns a list, PGlite `{ rows }`). */
export async function queryRows<T>(db: Database, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
