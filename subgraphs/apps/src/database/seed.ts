import { type SeedPlan, type SubgraphDatabase, seedWithInserts } from '@cloudphone/db';
import { type NewApplicationRow, type NewDeviceApplicationRow, applications, deviceApplications } from './schema.js';

export interface AppsSeed {
  applications: NewApplicationRow[];
  /** Give each install `tenantId` (its device owner's tenant): an install without one is out of every TENANT scope. */
  installs: NewDeviceApplicationRow[];
}

export const appsSeedPlan: SeedPlan<AppsSeed> = {
  tables: [
    { key: 'applications', table: applications },
    { key: 'installs', table: deviceApplications },
  ],
};

export const seedApps = seedWithInserts(appsSeedPlan);

export async function appsHaveData(database: SubgraphDatabase): Promise<boolean> {
  const rows = await database.db.select({ id: applications.id }).from(applications).limit(1);
  return rows.length > 0;
}
