import { type SubgraphDatabase, insertInChunks } from '@cloudphone/db';
import { type NewDeviceRow, type NewDeviceTemplateRow, type NewNodeRow, deviceTemplates, devices, nodes } from './schema.js';

export interface DevicesSeed {
  nodes: NewNodeRow[];
  templates: NewDeviceTemplateRow[];
  devices: NewDeviceRow[];
}

export async function seedDevices(database: SubgraphDatabase, data: DevicesSeed): Promise<void> {
  await database.db.transaction(async (tx) => {
    await insertInChunks(data.nodes, (chunk) => tx.insert(nodes).values(chunk));
    await insertInChunks(data.templates, (chunk) => tx.insert(deviceTemplates).values(chunk));
    await insertInChunks(data.devices, (chunk) => tx.insert(devices).values(chunk));
  });
}

export async function devicesHaveData(database: SubgraphDatabase): Promise<boolean> {
  const rows = await database.db.select({ id: nodes.id }).from(nodes).limit(1);
  return rows.length > 0;
}
