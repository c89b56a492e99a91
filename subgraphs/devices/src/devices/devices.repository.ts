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
  trimPage,
} from '@cloudphone/db';
import { type EventPayload, Outbox } from '@cloudphone/events';
import type { RowScope } from '@cloudphone/identity';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { type SQL, and, count, eq, ilike, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import { type DeviceRow, type NewDeviceRow, devices } from '../database/schema.js';
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
        ? ilike(devices.ownerName, ownerPrefix)
        : or(ilike(devices.ownerName, ownerPrefix), ilike(devices.ownerEmail, ownerPrefix)),
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
  | { kind: 'illegal'; from: DeviceRow['status'] };

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
    const [rows, [total]] = await Promise.all([
      db.select().from(devices).where(and(where, afterCursor(sort, page.after))).orderBy(...orderByKeyset(sort)).limit(page.limit + 1),
      db.select({ value: count() }).from(devices).where(where),
    ]);
    return trimPage(rows, page.limit, total?.value ?? 0);
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

  async insert(row: NewDeviceRow, context: { requestId: string }): Promise<DeviceRow> {
    return this.database.db.transaction(async (tx) => {
      const [created] = await tx.insert(devices).values(row).returning();
      if (!created) throw new Error('insert into devices returned no row');
      await this.outbox.append(tx, { type: 'device.created', data: deviceSnapshot(created), aggregateId: created.id, tenantId: created.tenantId, userId: created.userId }, context);
      return created;
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
   */
  async transition(
    id: string,
    to: DeviceRow['status'],
    context: { requestId: string },
    changes: Partial<Pick<NewDeviceRow, 'adbHost' | 'adbPort' | 'healthScore' | 'lastHeartbeatAt'>> = {},
  ): Promise<TransitionOutcome> {
    return this.database.db.transaction(async (tx) => {
      const [current] = await tx.select({ status: devices.status }).from(devices).where(eq(devices.id, id)).for('update');
      if (!current) return { kind: 'not-found' };
      if (!canTransition(current.status, to)) return { kind: 'illegal', from: current.status };
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
