import { cursorOf } from '@cloudphone/db';
import { AppError } from '@cloudphone/errors';
import { SHARED_ROW, assertAccess } from '@cloudphone/identity';
import { type ConnectionArgs, type ConnectionShape, type RequestContext, UNIQUE_VIOLATION, byKeys, sqlState, toConnection, toPageRequest } from '@cloudphone/subgraph-kit';
import { Injectable } from '@nestjs/common';
import type { DeviceTemplateRow } from '../database/schema.js';
import type { DeviceProvider } from '../devices/models/device.model.js';
import type { CreateDeviceTemplateInput, DeviceTemplate } from './models/device-template.model.js';
import { TEMPLATE_SORT, TemplatesRepository } from './templates.repository.js';

export function toDeviceTemplate(row: DeviceTemplateRow): DeviceTemplate {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    provider: row.provider as DeviceProvider,
    spec: { cpuCores: row.cpuCores, memoryMb: row.memoryMb, storageGb: row.storageGb },
    androidVersion: row.androidVersion,
    image: row.image,
    createdAt: row.createdAt,
  };
}

/**
 * Templates are a shared catalogue: reading needs template:read (every
 * default role but GUEST has it, scope ALL), creating needs template:write
 * (SUPER_ADMIN). Being no one's rows, only an ALL scope reaches them.
 */
@Injectable()
export class TemplatesService {
  constructor(private readonly repository: TemplatesRepository) {}

  async byId(context: RequestContext, id: string): Promise<DeviceTemplate | null> {
    assertAccess(context.principal, 'template', SHARED_ROW);
    return context.loaders
      .get<string, DeviceTemplate | null>('DeviceTemplate.byId', async (ids) =>
        byKeys(ids, (await this.repository.findByIds(ids)).map(toDeviceTemplate), (template) => template.id),
      )
      .load(id);
  }

  async list(context: RequestContext, args: ConnectionArgs): Promise<ConnectionShape<DeviceTemplate>> {
    // The whole catalogue or nothing: no SQL scope condition is needed past this check.
    assertAccess(context.principal, 'template', SHARED_ROW);
    const request = toPageRequest(args);
    const page = await this.repository.findPage(request);
    return toConnection(page, request, (row) => cursorOf(TEMPLATE_SORT, row.createdAt, row.id), toDeviceTemplate);
  }

  async create(context: RequestContext, input: CreateDeviceTemplateInput): Promise<DeviceTemplate> {
    assertAccess(context.principal, 'template', SHARED_ROW, 'write');
    const row = await this.repository
      .insert({
        name: input.name.trim(),
        description: input.description,
        provider: input.provider,
        cpuCores: input.spec.cpuCores,
        memoryMb: input.spec.memoryMb,
        storageGb: input.spec.storageGb,
        androidVersion: input.androidVersion,
        image: input.image,
      })
      .catch((error: unknown) => {
        if (sqlState(error) === UNIQUE_VIOLATION) throw new AppError('CONFLICT', `A template named "${input.name}" already exists`, { details: { field: 'name' } });
        throw error;
      });
    return toDeviceTemplate(row);
  }
}
