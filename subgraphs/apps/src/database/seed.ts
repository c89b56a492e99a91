import { type SubgraphDatabase, insertInChunks } from '@cloudphone/db';
import { type NewApplicationRow, type NewDeviceApplicationRow, applications, deviceApplications } from './schema.js';

export interface AppsSeed {
  applications: NewApplicationRow[];
  /** Give each install `tenantId` (its device owner's tenant): an install without one is out of every TENANT scope. */
  installs: NewDeviceApplicationRow[];
}

export async function seedApps(database: SubgraphDatabase, data: AppsSeed): Promise<void> {
  await database.db.transaction(async (tx) => {
    await insertInChunks(data.applications, (chunk) => tx.insert(applications).values(chunk));
    await insertInChunks(data.installs, (chunk) => tx.insert(deviceApplications).values(chunk));
  });
}

export async function appsHaveData(database: SubgraphDatabase): Promise<boolean> {
  const rows = await database.db.select({ id: applications.id }).from(applications).limit(1);
  return rows.length > 0;
}
