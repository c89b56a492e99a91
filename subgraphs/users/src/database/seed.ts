import { type SubgraphDatabase, insertInChunks } from '@cloudphone/db';
import { type NewTenantRow, type NewUserRow, tenants, users } from './schema.js';

export interface UsersSeed {
  tenants: NewTenantRow[];
  users: NewUserRow[];
}

export async function seedUsers(database: SubgraphDatabase, data: UsersSeed): Promise<void> {
  await database.db.transaction(async (tx) => {
    await insertInChunks(data.tenants, (chunk) => tx.insert(tenants).values(chunk));
    await insertInChunks(data.users, (chunk) => tx.insert(users).values(chunk));
  });
}

export async function usersHaveData(database: SubgraphDatabase): Promise<boolean> {
  const rows = await database.db.select({ id: tenants.id }).from(tenants).limit(1);
  return rows.length > 0;
}
