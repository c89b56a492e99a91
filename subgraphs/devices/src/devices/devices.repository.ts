import {
  type KeysetSort,
  type Page,
  type PageRequest,
  type SortDirection,
  type SubgraphDatabase,
  afterCursor,
  orderByKeyset,
  pagesPerParent,
  trimPage,
} from '@cloudphone/db';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { type SQL, and, count, eq, ilike, inArray, or } from 'drizzle-orm';
import { type DeviceRow, type NewDeviceRow, devices } from '../database/schema.js';

export type DeviceSortField = 'CREATED_AT' | 'NAME' | 'STATUS' | 'OWNER_NAME' | 'OWNER_EMAIL';

export interface DeviceQuery {
  userId?: string | undefined;
  tenantId?: string | undefined;
  status?: DeviceRow['status'] | undefined;
  provider?: DeviceRow['provider'] | undefined;
  nodeId?: string | undefined;
  /** Prefix of the owner's name or e-mail, matched on the local copies. */
  owner?: string | undefined;
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
  return and(
    query.userId === undefined ? undefined : eq(devices.userId, query.userId),
    query.tenantId === undefined ? undefined : eq(devices.tenantId, query.tenantId),
    query.status === undefined ? undefined : eq(devices.status, query.status),
    query.provider === undefined ? undefined : eq(devices.provider, query.provider),
    query.nodeId === undefined ? undefined : eq(devices.nodeId, query.nodeId),
    query.owner === undefined ? undefined : or(ilike(devices.ownerName, likePrefix(query.owner)), ilike(devices.ownerEmail, likePrefix(query.owner))),
  );
}

export const USER_DEVICES_SORT: KeysetSort = deviceSort('CREATED_AT', 'ASC');

@Injectable()
export class DevicesRepository {
  constructor(@Inject(DATABASE) private readonly database: SubgraphDatabase) {}

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

  /** A page of devices for each of many owners, in one statement. */
  pagesByOwner(userIds: readonly string[], page: PageRequest, status: DeviceRow['status'] | undefined): Promise<Map<string, Page<DeviceRow>>> {
    return pagesPerParent<DeviceRow>(this.database.db, {
      table: devices,
      parent: devices.userId,
      parentKey: 'userId',
      parentIds: userIds,
      sort: USER_DEVICES_SORT,
      page,
      where: status === undefined ? undefined : eq(devices.status, status),
    });
  }

  async insert(row: NewDeviceRow): Promise<DeviceRow> {
    const [created] = await this.database.db.insert(devices).values(row).returning();
    if (!created) throw new Error('insert into devices returned no row');
    return created;
  }

  async update(id: string, changes: Partial<Pick<NewDeviceRow, 'name'>>): Promise<DeviceRow | undefined> {
    const [updated] = await this.database.db.update(devices).set({ ...changes, updatedAt: new Date() }).where(eq(devices.id, id)).returning();
    return updated;
  }
}
