import { type SubgraphDatabase, insertInChunks } from '@cloudphone/db';
import { sql } from 'drizzle-orm';
import { loadQuotaDefaults } from '../config.js';
import { DEFAULT_ROLE } from '../roles/roles.repository.js';
import { type NewTenantRow, type NewUserRow, roles, tenants, userQuotas, userRoles, users } from './schema.js';

export interface UsersSeed {
  tenants: NewTenantRow[];
  users: NewUserRow[];
  /** Roles beyond the default one every seeded user gets (e.g. the demo's SUPER_ADMIN). */
  roles?: { userId: string; role: string }[];
}

export async function seedUsers(database: SubgraphDatabase, data: UsersSeed): Promise<void> {
  await database.db.transaction(async (tx) => {
    await insertInChunks(data.tenants, (chunk) => tx.insert(tenants).values(chunk));
    await insertInChunks(data.users, (chunk) => tx.insert(users).values(chunk));
    // Every user holds the default role, as registration gives it; then the extra grants.
    await tx.execute(sql`insert into ${userRoles} (user_id, role_id) select ${users.id}, ${roles.id} from ${users}, ${roles} where ${roles.name} = ${DEFAULT_ROLE} on conflict do nothing`);
    for (const grant of data.roles ?? []) {
      await tx.execute(sql`insert into ${userRoles} (user_id, role_id) select ${grant.userId}::uuid, ${roles.id} from ${roles} where ${roles.name} = ${grant.role} on conflict do nothing`);
    }
    // And the default quota, as registration gives it.
    const quota = loadQuotaDefaults();
    await tx.execute(
      sql`insert into ${userQuotas} (user_id, max_devices, max_running_devices, max_cpu_cores, max_memory_mb, max_storage_gb) select ${users.id}, ${quota.maxDevices}::int, ${quota.maxRunningDevices}::int, ${quota.maxCpuCores}::int, ${quota.maxMemoryMb}::int, ${quota.maxStorageGb}::int from ${users} on conflict do nothing`,
    );
  });
}

export async function usersHaveData(database: SubgraphDatabase): Promise<boolean> {
  const rows = await database.db.select({ id: tenants.id }).from(tenants).limit(1);
  return rows.length > 0;
}
