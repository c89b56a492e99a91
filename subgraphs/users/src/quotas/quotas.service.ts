import type { SubgraphDatabase } from '@cloudphone/db';
import { AppError } from '@cloudphone/errors';
import { assertAccess, assertAnyAccess, assertService } from '@cloudphone/identity';
import { DATABASE, type RequestContext, byKeys } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { AuditRepository } from '../auth/audit.repository.js';
import type { UserQuotaRow } from '../database/schema.js';
import type { User } from '../users/models/user.model.js';
import { UsersService } from '../users/users.service.js';
import type { SetUserQuotaInput } from './models/quota.inputs.js';
import type { Quota, QuotaStatus } from './models/quota.model.js';
import { type QuotaChanges, QuotasRepository } from './quotas.repository.js';

const LIMITS = ['maxDevices', 'maxRunningDevices', 'maxCpuCores', 'maxMemoryMb', 'maxStorageGb', 'status'] as const;

export function toQuota(row: UserQuotaRow): Quota & { userId: string } {
  return {
    userId: row.userId,
    maxDevices: row.maxDevices,
    maxRunningDevices: row.maxRunningDevices,
    maxCpuCores: row.maxCpuCores,
    maxMemoryMb: row.maxMemoryMb,
    maxStorageGb: row.maxStorageGb,
    status: row.status as QuotaStatus,
    version: row.version,
    updatedAt: row.updatedAt,
  };
}

/**
 * Users' quotas: read with the user, changed by whoever holds `quota:write`
 * over the user (a SUPER_ADMIN anywhere, an ADMIN in its tenant; never a
 * USER, which holds `user:write` over itself), audited like role changes.
 * The devices subgraph enforces them, asking `quotaOf` as a service.
 */
@Injectable()
export class QuotasService {
  constructor(
    private readonly quotas: QuotasRepository,
    private readonly users: UsersService,
    private readonly audit: AuditRepository,
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
  ) {}

  /** Batched by request: the quotas of any number of users in one query; null for a user without one. */
  of(context: RequestContext, userId: string): Promise<Quota | null> {
    return context.loaders
      .get<string, Quota | null>('User.quota', async (ids) => byKeys(ids, (await this.quotas.findByUserIds(ids)).map(toQuota), (quota) => quota.userId))
      .load(userId);
  }

  /** `quotaOf`: for other services only (devices checks a create or start against it). */
  forService(context: RequestContext, userId: string): Promise<Quota | null> {
    assertService(context.principal);
    return this.of(context, userId);
  }

  async set(context: RequestContext, userId: string, input: SetUserQuotaInput): Promise<User> {
    const { principal } = context;
    // Refuse a caller that may change no quota at all before saying whether the user exists.
    assertAnyAccess(principal, 'quota', 'write');
    const user = await this.users.byId(context, userId);
    if (!user) throw new AppError('USER_NOT_FOUND', 'User not found', { details: { field: 'userId' } });
    assertAccess(principal, 'quota', { userId: user.id, tenantId: user.tenantId }, 'write');
    const changes: QuotaChanges = {};
    for (const field of LIMITS) if (input[field] != null) Object.assign(changes, { [field]: input[field] });
    if (Object.keys(changes).length === 0) return user;
    await this.database.db.transaction(async (tx) => {
      const { before, after } = await this.quotas.change(tx, userId, changes);
      const summary: Record<string, string | number> = {};
      for (const field of Object.keys(changes) as (keyof QuotaChanges)[]) {
        summary[`before.${field}`] = before[field];
        summary[`after.${field}`] = after[field];
      }
      await this.audit.record(tx, { actorUserId: principal.userId, action: 'quota.changed', resource: 'user', resourceId: userId, summary, requestId: context.requestId });
    });
    return user;
  }
}
