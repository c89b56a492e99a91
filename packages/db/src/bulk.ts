/** Inserts many rows in bounded statements (PostgreSQL caps a statement at 65,535 parameters). */
export async function insertInChunks<T>(rows: readonly T[], insert: (chunk: T[]) => Promise<unknown>, chunkSize = 500): Promise<void> {
  for (let start = 0; start < rows.length; start += chunkSize) await insert(rows.slice(start, start + chunkSize));
}
