import { AppError } from '@cloudphone/errors';
import { type ConnectionShape, type RequestContext, UNIQUE_VIOLATION, byKeys, sqlState, toConnection, toPageRequest, type ConnectionArgs } from '@cloudphone/subgraph-kit';
import { cursorOf } from '@cloudphone/db';
import { Injectable } from '@nestjs/common';
import type { TenantRow } from '../database/schema.js';
import type { CreateTenantInput, UpdateTenantInput } from './models/tenant.inputs.js';
import type { Tenant, TenantStatus } from './models/tenant.model.js';
import { TENANT_SORT, TenantsRepository } from './tenants.repository.js';

export function toTenant(row: TenantRow): Tenant {
  return {
    id: row.id,
    name: row.name,
    status: row.status as TenantStatus,
    maxUsers: row.maxUsers,
    maxDevices: row.maxDevices,
    createdAt: row.createdAt,
  };
}

function duplicateName(error: unknown, name: string): never {
  if (sqlState(error) === UNIQUE_VIOLATION) throw new AppError('CONFLICT', `A tenant named "${name}" already exists`, { details: { field: 'name' } });
  throw error;
}

@Injectable()
export class TenantsService {
  constructor(private readonly repository: TenantsRepository) {}

  /** Batched by request: any number of tenant look-ups in one tick is one query. */
  byId(context: RequestContext, id: string): Promise<Tenant | null> {
    return context.loaders
      .get<string, Tenant | null>('Tenant.byId', async (ids) => byKeys(ids, (await this.repository.findByIds(ids)).map(toTenant), (tenant) => tenant.id))
      .load(id);
  }

  async list(args: ConnectionArgs): Promise<ConnectionShape<Tenant>> {
    const request = toPageRequest(args);
    const page = await this.repository.findPage(request);
    return toConnection(page, request, (row) => cursorOf(TENANT_SORT, row.createdAt, row.id), toTenant);
  }

  async create(input: CreateTenantInput): Promise<Tenant> {
    const row = await this.repository
      .insert({ name: input.name.trim(), maxUsers: input.maxUsers ?? 100, maxDevices: input.maxDevices ?? 1000 })
      .catch((error: unknown) => duplicateName(error, input.name));
    return toTenant(row);
  }

  async update(id: string, input: UpdateTenantInput): Promise<Tenant> {
    const changes = {
      ...(input.name != null ? { name: input.name.trim() } : {}),
      ...(input.status != null ? { status: input.status } : {}),
      ...(input.maxUsers != null ? { maxUsers: input.maxUsers } : {}),
      ...(input.maxDevices != null ? { maxDevices: input.maxDevices } : {}),
    };
    const row = await this.repository.update(id, changes).catch((error: unknown) => duplicateName(error, input.name ?? ''));
    if (!row) throw new AppError('TENANT_NOT_FOUND', 'Tenant not found', { details: { id } });
    return toTenant(row);
  }
}
