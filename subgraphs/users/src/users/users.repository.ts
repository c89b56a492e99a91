import { type KeysetSort, type Page, type PageRequest, type SortDirection, type SubgraphDatabase, afterCursor, orderByKeyset, rowScopeCondition, pageOf } from '@cloudphone/db';
import type { RowScope } from '@cloudphone/identity';
import { type EventPayload, Outbox } from '@cloudphone/events';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { type SQL, and, count, eq, inArray, sql } from 'drizzle-orm';
import { QUOTA_DEFAULTS, type QuotaDefaults } from '../config.js';
import { type NewUserRow, type UserRow, roles, tenants, userQuotas, userRoles, users } from '../database/schema.js';
import { DEFAULT_ROLE } from '../roles/roles.repository.js';

export type UserSortField = 'CREATED_AT' | 'USERNAME' | 'EMAIL';

export interface UserQuery {
  /** The caller's reach: lists never show a row outside it. */
  scope: RowScope;
  tenantId?: string | undefined;
  status?: UserRow['status'] | undefined;
  sort: KeysetSort;
}

export function userSort(field: UserSortField, direction: SortDirection): KeysetSort {
  switch (field) {
    case 'USERNAME':
      return { column: users.username, id: users.id, direction, kind: 'text' };
    case 'EMAIL':
      return { column: users.email, id: users.id, direction, kind: 'text' };
    case 'CREATED_AT':
      return { column: users.createdAt, id: users.id, direction, kind: 'timestamp' };
  }
}

export type CreateUserOutcome =
  | { kind: 'created'; user: UserRow }
  | { kind: 'tenant-not-found' }
  | { kind: 'tenant-full'; limit: number };

/** What every user event carries: the whole user at that version, so consumers keep the newest copy. */
export function userSnapshot(row: UserRow): EventPayload<'user.updated'> {
  return {
    userId: row.id,
    tenantId: row.tenantId,
    username: row.username,
    email: row.email,
    displayName: row.displayName,
    status: row.status,
    version: row.version,
  };
}

export interface EventContext {
  requestId: string;
}

@Injectable()
export class UsersRepository {
  constructor(
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    private readonly outbox: Outbox,
    @Inject(QUOTA_DEFAULTS) private readonly quotaDefaults: QuotaDefaults,
  ) {}

  async findByIds(ids: readonly string[]): Promise<UserRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(users).where(inArray(users.id, [...ids]));
  }

  async findPage(query: UserQuery, page: PageRequest): Promise<Page<UserRow>> {
    const { db } = this.database;
    const filter: (SQL | undefined)[] = [
      rowScopeCondition(query.scope, { userId: users.id, tenantId: users.tenantId }),
      query.tenantId === undefined ? undefined : eq(users.tenantId, query.tenantId),
      query.status === undefined ? undefined : eq(users.status, query.status),
    ];
    const rows = await db
        .select()
        .from(users)
        .where(and(...filter, afterCursor(query.sort, page.after)))
        .orderBy(...orderByKeyset(query.sort))
        .limit(page.limit + 1);
    return pageOf(rows, page.limit, () => db.select({ value: count() }).from(users).where(and(...filter)));
  }

  /**
   * Inserts a user, with the default role and quota, unless its tenant is
   * missing or full. The tenant row is locked for the check, so concurrent
   * sign-ups cannot overshoot the limit.
   */
  async insertWithinTenantLimit(row: NewUserRow & { tenantId: string }, context: EventContext): Promise<CreateUserOutcome> {
    return this.database.db.transaction(async (tx) => {
      const [tenant] = await tx.select({ maxUsers: tenants.maxUsers }).from(tenants).where(eq(tenants.id, row.tenantId)).for('update');
      if (!tenant) return { kind: 'tenant-not-found' };
      const [existing] = await tx.select({ value: count() }).from(users).where(eq(users.tenantId, row.tenantId));
      if ((existing?.value ?? 0) >= tenant.maxUsers) return { kind: 'tenant-full', limit: tenant.maxUsers };
      const [created] = await tx.insert(users).values(row).returning();
      if (!created) throw new Error('insert into users returned no row');
      // Every account starts with the default role, in the same transaction: never a user without one.
      await tx.insert(userRoles).select(tx.select({ userId: sql`${created.id}::uuid`.as('user_id'), roleId: roles.id, grantedAt: sql`now()`.as('granted_at'), grantedBy: sql`null::uuid`.as('granted_by') }).from(roles).where(eq(roles.name, DEFAULT_ROLE)));
      // And the default quota: never a user whose devices cannot be checked.
      await tx.insert(userQuotas).values({ userId: created.id, ...this.quotaDefaults });
      await this.outbox.append(tx, { type: 'user.created', data: userSnapshot(created), aggregateId: created.id, tenantId: created.tenantId, userId: created.id }, context);
      return { kind: 'created', user: created };
    });
  }

  /**
   * Changes a user, bumps its version and records the events in the same
   * transaction: user.updated always, user.suspended / user.deleted when the
   * status moves there.
   */
  async update(id: string, changes: Partial<Pick<NewUserRow, 'email' | 'displayName' | 'status'>>, context: EventContext): Promise<UserRow | undefined> {
    return this.database.db.transaction(async (tx) => {
      const [before] = await tx.select({ status: users.status }).from(users).where(eq(users.id, id)).for('update');
      if (!before) return undefined;
      const [updated] = await tx
        .update(users)
        .set({ ...changes, version: sql`${users.version} + 1`, updatedAt: new Date() })
        .where(eq(users.id, id))
        .returning();
      if (!updated) return undefined;
      const event = { data: userSnapshot(updated), aggregateId: updated.id, tenantId: updated.tenantId, userId: updated.id };
      await this.outbox.append(tx, { type: 'user.updated', ...event }, context);
      if (updated.status !== before.status && updated.status === 'SUSPENDED') await this.outbox.append(tx, { type: 'user.suspended', ...event }, context);
      if (updated.status !== before.status && updated.status === 'DELETED') await this.outbox.append(tx, { type: 'user.deleted', ...event }, context);
      return updated;
    });
  }
}
