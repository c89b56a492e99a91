import { AppError } from '@cloudphone/errors';
import { type ConnectionShape, type RequestContext, UNIQUE_VIOLATION, byKeys, sqlState, toConnection, toPageRequest, type ConnectionArgs } from '@cloudphone/subgraph-kit';
import { cursorOf } from '@cloudphone/db';
import { assertAccess, assertAnyAccess } from '@cloudphone/identity';
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

  /** A tenant the caller may read: FORBIDDEN for another tenant (an ADMIN's or USER's reach is its own). */
  async visibleById(context: RequestContext, id: string): Promise<Tenant | null> {
    const tenant = await this.byId(context, id);
    if (tenant) assertAccess(context.principal, 'tenant', { userId: null, tenantId: tenant.id });
    return tenant;
  }

  async list(context: RequestContext, args: ConnectionArgs): Promise<ConnectionShape<Tenant>> {
    const scope = assertAnyAccess(context.principal, 'tenant');
    const request = toPageRequest(args);
    const page = await this.repository.findPage(request, scope);
    return toConnection(page, request, (row) => cursorOf(TENANT_SORT, row.createdAt, row.id), toTenant);
  }

  async create(context: RequestContext, input: CreateTenantInput): Promise<Tenant> {
    // Creating a tenant is for whoever reaches every tenant (SUPER_ADMIN).
    if (assertAnyAccess(context.principal, 'tenant', 'write').kind !== 'ALL') throw new AppError('FORBIDDEN', 'Only a platform administrator creates tenants');
    const row = await this.repository
      .insert({ name: input.name.trim(), maxUsers: input.maxUsers ?? 100, maxDevices: input.maxDevices ?? 1000 })
      .catch((error: unknown) => duplicateName(error, input.name));
    return toTenant(row);
  }

  async update(context: RequestContext, id: string, input: UpdateTenantInput): Promise<Tenant> {
    assertAccess(context.principal, 'tenant', { userId: null, tenantId: id }, 'write');
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
