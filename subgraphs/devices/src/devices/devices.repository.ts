import {
  type Database,
  type KeysetSort,
  type Page,
  type PageRequest,
  type SortDirection,
  type SubgraphDatabase,
  afterCursor,
  orderByKeyset,
  pagesPerParent,
  rowScopeCondition,
  orderByKeysetAfterFilter,
  pageOf,
} from '@cloudphone/db';
import { type EventPayload, Outbox } from '@cloudphone/events';
import type { RowScope } from '@cloudphone/identity';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { type SQL, and, count, eq, inArray, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { type DeviceRow, type NewDeviceRow, devices } from '../database/schema.js';
import { NO_USAGE, type QuotaBreach, type QuotaCheck, type QuotaUsage, RUNNING_SLOT_STATES } from '../quotas/quota-rules.js';
import { canTransition } from './status-machine.js';

export type DeviceSortField = 'CREATED_AT' | 'NAME' | 'STATUS' | 'OWNER_NAME' | 'OWNER_EMAIL';

export interface DeviceQuery {
  /** The rows the caller reaches: part of every list's WHERE, so counts and pages only ever see those. */
  scope: RowScope;
  userId?: string | undefined;
  tenantId?: string | undefined;
  status?: DeviceRow['status'] | undefined;
  provider?: DeviceRow['provider'] | undefined;
  nodeId?: string | undefined;
  /** Prefix of the owner's name or e-mail, matched on the local copies. */
  owner?: string | undefined;
  /** False for a caller whose roles mask or hide e-mails: `owner` then matches names only, so no prefix probe reveals an address. */
  ownerMatchesEmail?: boolean | undefined;
}

/** A devices row scope as a condition: devices carry their owner and the owner's tenant. */
export function deviceScopeCondition(scope: RowScope): SQL | undefined {
  return rowScopeCondition(scope, { userId: devices.userId, tenantId: devices.tenantId });
}

const SORT_COLUMNS = {
  CREATED_AT: { column: devices.createdAt, kind: 'timestamp' },
  NAME: { column: devices.name, kind: 'text' },
  STATUS: { column: devices.status, kind: 'text' },
  OWNER_NAME: { column: devices.ownerName, kind: 'text' },
  OWNER_EMAIL: { column: devices.ownerEmail, kind: 'text' },
} as const;

export function deviceSort(field: DeviceSortField, direction: SortDirection): KeysetSort {
  const { column, kind } = SORT_COLUMNS[field];
  return { column, id: devices.id, direction, kind };
}

/** The value a device is sorted by, for its cursor. */
export function deviceSortValue(field: DeviceSortField, row: DeviceRow): Date | string {
  switch (field) {
    case 'CREATED_AT':
      return row.createdAt;
    case 'NAME':
      return row.name;
    case 'STATUS':
      return row.status;
    case 'OWNER_NAME':
      return row.ownerName;
    case 'OWNER_EMAIL':
      return row.ownerEmail;
  }
}

/** Escapes LIKE wildcards so user text matches literally. */
function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** `column` matches the LIKE pattern `prefix`, ignoring case, in the form the lower(...) text_pattern_ops indexes serve (ILIKE can use none). */
function startsWithIgnoringCase(column: PgColumn, prefix: string): SQL {
  return sql`lower(${column}) like lower(${prefix})`;
}

function whereOf(query: DeviceQuery): SQL | undefined {
  const ownerPrefix = query.owner === undefined ? undefined : likePrefix(query.owner);
  return and(
    deviceScopeCondition(query.scope),
    query.userId === undefined ? undefined : eq(devices.userId, query.userId),
    query.tenantId === undefined ? undefined : eq(devices.tenantId, query.tenantId),
    query.status === undefined ? undefined : eq(devices.status, query.status),
    query.provider === undefined ? undefined : eq(devices.provider, query.provider),
    query.nodeId === undefined ? undefined : eq(devices.nodeId, query.nodeId),
    ownerPrefix === undefined
      ? undefined
      : query.ownerMatchesEmail === false
        ? startsWithIgnoringCase(devices.ownerName, ownerPrefix)
        : or(startsWithIgnoringCase(devices.ownerName, ownerPrefix), startsWithIgnoringCase(devices.ownerEmail, ownerPrefix)),
  );
}

export const USER_DEVICES_SORT: KeysetSort = deviceSort('CREATED_AT', 'ASC');

/** What every device event carries: the device at that version. */
export function deviceSnapshot(row: DeviceRow): EventPayload<'device.updated'> {
  return { deviceId: row.id, userId: row.userId, tenantId: row.tenantId, name: row.name, status: row.status, version: row.version };
}

export type TransitionOutcome =
  | { kind: 'changed'; device: DeviceRow }
  | { kind: 'not-found' }
  | { kind: 'illegal'; from: DeviceRow['status'] }
  | { kind: 'over-quota'; breach: QuotaBreach };

/** `exists`: a device with the row's id was there already (a retried or concurrent create with the same id); nothing written. */
export type InsertOutcome = { kind: 'created'; device: DeviceRow } | { kind: 'exists'; device: DeviceRow } | { kind: 'over-quota'; breach: QuotaBreach };

/**
 * Key space (first key of the two-key advisory lock) of the per-owner lock
 * that serializes quota checks: a create, or a start, of one user's devices
 * waits for the other's commit, so concurrent requests cannot overshoot.
 */
const OWNER_QUOTA_LOCK = 7_100_301;

/**
 * What a claim on a deleted device's teardown found: the claim (`claimedAt`
 * names it), or why there is none: the phone is released already, the device
 * is not DELETED (or not there), or another attempt holds a fresh claim.
 */
export type TeardownClaim = { kind: 'claimed'; device: DeviceRow; claimedAt: Date } | { kind: 'torn-down' } | { kind: 'not-deleted' } | { kind: 'busy' };

/** The owner fields devices keep a copy of, from a user event. */
export interface OwnerSnapshot {
  userId: string;
  displayName: string;
  email: string;
  version: number;
}

@Injectable()
export class DevicesRepository {
  constructor(
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    private readonly outbox: Outbox,
  ) {}

  async findByIds(ids: readonly string[]): Promise<DeviceRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(devices).where(inArray(devices.id, [...ids]));
  }

  async findPage(query: DeviceQuery, sort: KeysetSort, page: PageRequest): Promise<Page<DeviceRow>> {
    const { db } = this.database;
    const where = whereOf(query);
    // An owner prefix sorted by owner picks one stretch of the sort's own order: read through the prefix indexes, then sorted.
    const filtersSortKey = query.owner !== undefined && (sort.column === devices.ownerName || sort.column === devices.ownerEmail);
    const order = filtersSortKey ? orderByKeysetAfterFilter(sort) : orderByKeyset(sort);
    const rows = await db.select().from(devices).where(and(where, afterCursor(sort, page.after))).orderBy(...order).limit(page.limit + 1);
    return pageOf(rows, page.limit, () => db.select({ value: count() }).from(devices).where(where));
  }

  /** A page of devices for each of many owners, in one statement; only the rows in `scope` are counted or returned. */
  pagesByOwner(scope: RowScope, userIds: readonly string[], page: PageRequest, status: DeviceRow['status'] | undefined): Promise<Map<string, Page<DeviceRow>>> {
    return pagesPerParent<DeviceRow>(this.database.db, {
      table: devices,
      parent: devices.userId,
      parentKey: 'userId',
      parentIds: userIds,
      sort: USER_DEVICES_SORT,
      page,
      where: and(deviceScopeCondition(scope), status === undefined ? undefined : eq(devices.status, status)),
    });
  }

  /**
   * What each owner's devices hold (DELETED ones excluded), in one statement;
   * only rows in `scope` are counted. Owners without devices are absent.
   */
  async usageByOwners(scope: RowScope, userIds: readonly string[], db: Database = this.database.db): Promise<Map<string, QuotaUsage>> {
    if (userIds.length === 0) return new Map();
    const rows = await db
      .select({
        userId: devices.userId,
        devices: count(),
        runningDevices: sql<number>`count(*) filter (where ${inArray(devices.status, [...RUNNING_SLOT_STATES])})`.mapWith(Number),
        cpuCores: sql<number>`coalesce(sum(${devices.cpuCores}), 0)`.mapWith(Number),
        memoryMb: sql<number>`coalesce(sum(${devices.memoryMb}), 0)`.mapWith(Number),
        storageGb: sql<number>`coalesce(sum(${devices.storageGb}), 0)`.mapWith(Number),
      })
      .from(devices)
      .where(and(inArray(devices.userId, [...userIds]), ne(devices.status, 'DELETED'), deviceScopeCondition(scope)))
      .groupBy(devices.userId);
    return new Map(rows.map(({ userId, ...usage }) => [userId, usage]));
  }

  /**
   * The owner's usage inside `tx`, read after taking the owner's lock (held
   * until the transaction ends): whatever the check decides holds until commit.
   */
  private async lockedUsage(tx: Database, userId: string): Promise<QuotaUsage> {
    await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(OWNER_QUOTA_LOCK))}, hashtext(${userId}::text))`);
    return (await this.usageByOwners({ kind: 'ALL' }, [userId], tx)).get(userId) ?? NO_USAGE;
  }

  /**
   * Inserts a device with its device.created event, if `check` admits it on
   * the owner's usage read under the owner's lock; otherwise writes nothing.
   * The id decides first: a device with it already there (written by an
   * earlier or concurrent create with the same id, whose usage the check
   * would otherwise count against this one) is answered as `exists`.
   */
  async insert(row: NewDeviceRow & { id: string; userId: string }, context: { requestId: string }, check: QuotaCheck): Promise<InsertOutcome> {
    return this.database.db.transaction(async (tx) => {
      const usage = await this.lockedUsage(tx, row.userId);
      const present = await this.findForUpdate(tx, row.id);
      if (present) return { kind: 'exists', device: present };
      const breach = check(usage);
      if (breach) return { kind: 'over-quota', breach };
      // A same-id create of another owner (another lock) committed meanwhile: the key decides, and that device stands.
      const [created] = await tx.insert(devices).values(row).onConflictDoNothing({ target: devices.id }).returning();
      if (!created) {
        const winner = await this.findForUpdate(tx, row.id);
        if (!winner) throw new Error('insert into devices returned no row');
        return { kind: 'exists', device: winner };
      }
      await this.outbox.append(tx, { type: 'device.created', data: deviceSnapshot(created), aggregateId: created.id, tenantId: created.tenantId, userId: created.userId }, context);
      return { kind: 'created', device: created };
    });
  }

  /** A refused request's quota.exceeded, in a transaction of its own (the refused one wrote nothing). */
  async recordQuotaExceeded(owner: { userId: string; tenantId: string }, breach: QuotaBreach, context: { requestId: string }): Promise<void> {
    await this.database.db.transaction(async (tx) => {
      await this.outbox.append(tx, { type: 'quota.exceeded', data: { userId: owner.userId, ...breach }, aggregateId: owner.userId, tenantId: owner.tenantId, userId: owner.userId }, context);
    });
  }

  async update(id: string, changes: Partial<Pick<NewDeviceRow, 'name'>>, context: { requestId: string }): Promise<DeviceRow | undefined> {
    return this.database.db.transaction(async (tx) => {
      const [updated] = await tx
        .update(devices)
        .set({ ...changes, version: sql`${devices.version} + 1`, updatedAt: new Date() })
        .where(eq(devices.id, id))
        .returning();
      if (updated) {
        await this.outbox.append(tx, { type: 'device.updated', data: deviceSnapshot(updated), aggregateId: updated.id, tenantId: updated.tenantId, userId: updated.userId }, context);
      }
      return updated;
    });
  }

  /**
   * Moves a device to `to` if its current status allows it, in one
   * transaction with its events: device.status.changed always, and
   * device.deleted for a soft delete. The row is locked while checking.
   * `startCheck`: a STOPPED device becomes RUNNING only if it admits the
   * owner's usage, read under the owner's lock.
   */
  async transition(
    id: string,
    to: DeviceRow['status'],
    context: { requestId: string },
    changes: Partial<Pick<NewDeviceRow, 'adbHost' | 'adbPort' | 'healthScore' | 'lastHeartbeatAt'>> = {},
    startCheck?: QuotaCheck,
  ): Promise<TransitionOutcome> {
    return this.database.db.transaction(async (tx) => {
      const [current] = await tx.select({ status: devices.status, userId: devices.userId }).from(devices).where(eq(devices.id, id)).for('update');
      if (!current) return { kind: 'not-found' };
      if (!canTransition(current.status, to)) return { kind: 'illegal', from: current.status };
      if (startCheck && current.status === 'STOPPED' && to === 'RUNNING') {
        const breach = startCheck(await this.lockedUsage(tx, current.userId));
        if (breach) return { kind: 'over-quota', breach };
      }
      const changedAt = new Date();
      const [updated] = await tx
        .update(devices)
        .set({ ...changes, status: to, statusChangedAt: changedAt, version: sql`${devices.version} + 1`, updatedAt: changedAt })
        .where(eq(devices.id, id))
        .returning();
      if (!updated) return { kind: 'not-found' };
      const scope = { aggregateId: updated.id, tenantId: updated.tenantId, userId: updated.userId };
      await this.outbox.append(
        tx,
        { type: 'device.status.changed', data: { ...deviceSnapshot(updated), previousStatus: current.status, changedAt: changedAt.toISOString() }, ...scope },
        context,
      );
      if (to === 'DELETED') await this.outbox.append(tx, { type: 'device.deleted', data: deviceSnapshot(updated), ...scope }, context);
      return { kind: 'changed', device: updated };
    });
  }

  /** Devices a health sweep probes: RUNNING and ERROR, the longest unheard first. */
  async findForHealthCheck(limit: number): Promise<DeviceRow[]> {
    return this.database.background
      .select()
      .from(devices)
      .where(inArray(devices.status, ['RUNNING', 'ERROR']))
      .orderBy(sql`${devices.lastHeartbeatAt} asc nulls first`, devices.id)
      .limit(limit);
  }

  /**
   * Placed devices still CREATING since before `since`: their provisioning
   * was lost (the process died after taking the event), so a sweep resumes it.
   */
  async findStuckCreating(since: Date, limit: number): Promise<DeviceRow[]> {
    return this.database.background
      .select()
      .from(devices)
      .where(and(eq(devices.status, 'CREATING'), isNotNull(devices.nodeId), lt(devices.statusChangedAt, since)))
      .orderBy(devices.statusChangedAt, devices.id)
      .limit(limit);
  }

  /**
   * Claims the teardown of a DELETED device whose phone is not released yet,
   * compare-and-set: of concurrent attempts (a redelivered event, another
   * replica, the health sweep) one gets it. A claim taken before
   * `staleBefore` is taken over: its attempt died.
   */
  async claimTeardown(id: string, now: Date, staleBefore: Date): Promise<TeardownClaim> {
    const [claimed] = await this.database.background
      .update(devices)
      .set({ teardownClaimedAt: now })
      .where(and(eq(devices.id, id), eq(devices.status, 'DELETED'), isNull(devices.tornDownAt), or(isNull(devices.teardownClaimedAt), lt(devices.teardownClaimedAt, staleBefore))))
      .returning();
    if (claimed) return { kind: 'claimed', device: claimed, claimedAt: now };
    const [row] = await this.findByIds([id]);
    if (row?.status !== 'DELETED') return { kind: 'not-deleted' };
    return row.tornDownAt === null ? { kind: 'busy' } : { kind: 'torn-down' };
  }

  /**
   * The provider released the phone under the claim `claimedAt`: recorded
   * unless that claim is no longer the device's (taken over as stale, or
   * reopened), whose holder records its own. False when not recorded.
   */
  async recordTornDown(id: string, claimedAt: Date, at: Date): Promise<boolean> {
    const updated = await this.database.background
      .update(devices)
      .set({ tornDownAt: at, teardownClaimedAt: null })
      .where(and(eq(devices.id, id), eq(devices.teardownClaimedAt, claimedAt), isNull(devices.tornDownAt)))
      .returning({ id: devices.id });
    return updated.length > 0;
  }

  /** A failed teardown gives its claim back, so a retry need not wait for it to go stale. */
  async releaseTeardownClaim(id: string, claimedAt: Date): Promise<void> {
    await this.database.background.update(devices).set({ teardownClaimedAt: null }).where(and(eq(devices.id, id), eq(devices.teardownClaimedAt, claimedAt)));
  }

  /**
   * A phone came up after its device was DELETED (provisioning raced the
   * delete): its teardown is due again, and any claim in flight is void.
   */
  async reopenTeardown(id: string): Promise<void> {
    await this.database.background.update(devices).set({ tornDownAt: null, teardownClaimedAt: null }).where(and(eq(devices.id, id), eq(devices.status, 'DELETED')));
  }

  /**
   * DELETED devices whose phone is still not released, deleted before
   * `staleBefore` and not claimed since: their teardown failed for good or
   * died with a process, so a sweep retries it. Oldest first.
   */
  async findTeardownsDue(staleBefore: Date, limit: number): Promise<DeviceRow[]> {
    return this.database.background
      .select()
      .from(devices)
      .where(
        and(
          eq(devices.status, 'DELETED'),
          isNull(devices.tornDownAt),
          lt(devices.statusChangedAt, staleBefore),
          or(isNull(devices.teardownClaimedAt), lt(devices.teardownClaimedAt, staleBefore)),
        ),
      )
      .orderBy(devices.statusChangedAt, devices.id)
      .limit(limit);
  }

  /** A probe that changed no status: its score and time. */
  async recordHealth(id: string, healthScore: number, at: Date): Promise<void> {
    await this.database.background.update(devices).set({ healthScore, lastHeartbeatAt: at }).where(eq(devices.id, id));
  }

  /** A device, locked until the transaction ends (install requests act on a stable status). */
  async findForUpdate(tx: Database, id: string): Promise<DeviceRow | undefined> {
    const [row] = await tx.select().from(devices).where(eq(devices.id, id)).for('update');
    return row;
  }

  /** The answer to an install request, recorded in the caller's (inbox) transaction. */
  async recordInstallResult(
    tx: Database,
    result: { type: 'app.install.completed'; data: EventPayload<'app.install.completed'> } | { type: 'app.install.failed'; data: EventPayload<'app.install.failed'> },
    cause: { id: string; correlationId: string },
    tenantId: string | null,
  ): Promise<void> {
    // The tenant travels on the envelope, so tenant-scoped readers of what follows (notifications) see it.
    const scope = { aggregateId: result.data.installId, userId: result.data.userId, tenantId };
    if (result.type === 'app.install.completed') await this.outbox.append(tx, { type: result.type, data: result.data, ...scope }, { cause });
    else await this.outbox.append(tx, { type: result.type, data: result.data, ...scope }, { cause });
  }

  /**
   * Refreshes the owner copies of a user's devices from a user event. Only a
   * newer version overwrites: events may arrive late or twice, copies converge.
   */
  async applyOwnerSnapshot(tx: Database, owner: OwnerSnapshot): Promise<number> {
    const updated = await tx
      .update(devices)
      .set({ ownerName: owner.displayName, ownerEmail: owner.email, ownerVersion: owner.version })
      .where(and(eq(devices.userId, owner.userId), lt(devices.ownerVersion, owner.version)))
      .returning({ id: devices.id });
    return updated.length;
  }
}
