import { type Database, type SeedPlan, type SubgraphDatabase, insertInChunks, seedWithInserts } from '@cloudphone/db';
import { sql } from 'drizzle-orm';
import { loadQuotaDefaults } from '../config.js';
import { DEFAULT_ROLE } from '../roles/roles.repository.js';
import { type NewTenantRow, type NewUserQuotaRow, type NewUserRow, roles, tenants, userQuotas, userRoles, users } from './schema.js';

export interface UsersSeed {
  tenants: NewTenantRow[];
  users: NewUserRow[];
  /** Roles beyond the default one every seeded user gets (e.g. the demo's SUPER_ADMIN). */
  roles?: { userId: string; role: string }[];
  /** Quotas other than the default one every other seeded user gets (e.g. raised for users holding many devices). */
  quotas?: NewUserQuotaRow[];
}

/**
 * What registration gives every user: the default role and the default
 * quota, unless the seed gives another (a few rows, loaded here rather than
 * as a table so a bulk load can stream users alone); then the extra grants.
 */
async function grantRegistrationDefaults(tx: Database, extras: Partial<UsersSeed>): Promise<void> {
  await insertInChunks(extras.quotas ?? [], (chunk) => tx.insert(userQuotas).values(chunk));
  await tx.execute(sql`insert into ${userRoles} (user_id, role_id) select ${users.id}, ${roles.id} from ${users}, ${roles} where ${roles.name} = ${DEFAULT_ROLE} on conflict do nothing`);
  for (const grant of extras.roles ?? []) {
    await tx.execute(sql`insert into ${userRoles} (user_id, role_id) select ${grant.userId}::uuid, ${roles.id} from ${roles} where ${roles.name} = ${grant.role} on conflict do nothing`);
  }
  const quota = loadQuotaDefaults();
  await tx.execute(
    sql`insert into ${userQuotas} (user_id, max_devices, max_running_devices, max_cpu_cores, max_memory_mb, max_storage_gb) select ${users.id}, ${quota.maxDevices}::int, ${quota.maxRunningDevices}::int, ${quota.maxCpuCores}::int, ${quota.maxMemoryMb}::int, ${quota.maxStorageGb}::int from ${users} on conflict do nothing`,
  );
}

export const usersSeedPlan: SeedPlan<UsersSeed> = {
  tables: [
    { key: 'tenants', table: tenants },
    { key: 'users', table: users },
  ],
  afterLoad: grantRegistrationDefaults,
};

export const seedUsers = seedWithInserts(usersSeedPlan);

export async function usersHaveData(database: SubgraphDatabase): Promise<boolean> {
  const rows = await database.db.select({ id: tenants.id }).from(tenants).limit(1);
  return rows.length > 0;
}
