import postgres from 'postgres';

const DUPLICATE_DATABASE = '42P04';

/** The URL of database `name` on the server of `url` (same host, credentials and options). */
export function databaseUrlOn(url: string, name: string): string {
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

/** Creates the database named in `url` when the server does not have it yet. */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (name === '') throw new Error(`Database URL has no database name: ${parsed.host}`);
  const sql = postgres(databaseUrlOn(url, 'postgres'), { max: 1, onnotice: () => undefined });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`;
    if (rows.length > 0) return;
    try {
      await sql`create database ${sql(name)}`;
    } catch (error) {
      // Another replica created it between our check and our create: that is fine.
      if ((error as { code?: string }).code !== DUPLICATE_DATABASE) throw error;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Drops a database (tests use it to clean up their throwaway databases). */
export async function dropDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  const sql = postgres(databaseUrlOn(url, 'postgres'), { max: 1, onnotice: () => undefined });
  try {
    await sql`drop database if exists ${sql(name)} with (force)`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
