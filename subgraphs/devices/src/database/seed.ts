import { type SeedPlan, type SubgraphDatabase, seedWithInserts } from '@cloudphone/db';
import { type NewDeviceRow, type NewDeviceTemplateRow, type NewNodeRow, deviceTemplates, devices, nodes } from './schema.js';

export interface DevicesSeed {
  nodes: NewNodeRow[];
  templates: NewDeviceTemplateRow[];
  devices: NewDeviceRow[];
}

export const devicesSeedPlan: SeedPlan<DevicesSeed> = {
  tables: [
    { key: 'nodes', table: nodes },
    { key: 'templates', table: deviceTemplates },
    { key: 'devices', table: devices },
  ],
};

export const seedDevices = seedWithInserts(devicesSeedPlan);

export async function devicesHaveData(database: SubgraphDatabase): Promise<boolean> {
  const rows = await database.db.select({ id: nodes.id }).from(nodes).limit(1);
  return rows.length > 0;
}
