import { type Database, type SubgraphDatabase, rowScopeCondition } from '@cloudphone/db';
import { Outbox } from '@cloudphone/events';
import type { RowScope } from '@cloudphone/identity';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { type SQL, and, asc, count, eq, inArray, ne, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { type DeviceApplicationRow, type NewDeviceApplicationRow, deviceApplications } from '../database/schema.js';

type InstallStatusValue = DeviceApplicationRow['status'];

/** `column = ANY($1::uuid[])`: one parameter, so the statement is the same for any number of ids. */
function anyOf(column: PgColumn, ids: readonly string[]): SQL {
  return sql`${column} = any(${sql.param([...ids])}::uuid[])`;
}

export interface InstalledCount {
  deviceId: string;
  value: number;
}

/** The installs a row scope reaches: its user's (SELF) or its tenant's (TENANT; a null tenant never matches). */
function inScope(scope: RowScope): SQL | undefined {
  return rowScopeCondition(scope, { userId: deviceApplications.userId, tenantId: deviceApplications.tenantId });
}

@Injectable()
export class InstallsRepository {
  constructor(
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    private readonly outbox: Outbox,
  ) {}

  async findByIds(ids: readonly string[]): Promise<DeviceApplicationRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(deviceApplications).where(inArray(deviceApplications.id, [...ids]));
  }

  async findByDeviceAndApplication(deviceId: string, applicationId: string): Promise<DeviceApplicationRow | undefined> {
    const [row] = await this.database.db
      .select()
      .from(deviceApplications)
      .where(and(eq(deviceApplications.deviceId, deviceId), eq(deviceApplications.applicationId, applicationId)));
    return row;
  }

  /** Every install within `scope` not UNINSTALLED of many devices in one statement, by device, then request time and id. */
  async findCurrentForDevices(deviceIds: readonly string[], scope: RowScope): Promise<DeviceApplicationRow[]> {
    if (deviceIds.length === 0) return [];
    return this.database.db
      .select()
      .from(deviceApplications)
      .where(and(anyOf(deviceApplications.deviceId, deviceIds), ne(deviceApplications.status, 'UNINSTALLED'), inScope(scope)))
      .orderBy(asc(deviceApplications.deviceId), asc(deviceApplications.requestedAt), asc(deviceApplications.id));
  }

  /** INSTALLED installs within `scope` per device in one statement; devices without any are absent. */
  async countInstalledForDevices(deviceIds: readonly string[], scope: RowScope): Promise<InstalledCount[]> {
    if (deviceIds.length === 0) return [];
    return this.database.db
      .select({ deviceId: deviceApplications.deviceId, value: count() })
      .from(deviceApplications)
      .where(and(anyOf(deviceApplications.deviceId, deviceIds), eq(deviceApplications.status, 'INSTALLED'), inScope(scope)))
      .groupBy(deviceApplications.deviceId);
  }

  /**
   * Requests an install in one statement: a new row, or the existing row of
   * that device and application reset to PENDING when its status is one of
   * `restartable`. Undefined when an install in any other status is in the way.
   */
  async requestInstall(
    row: Pick<NewDeviceApplicationRow, 'deviceId' | 'applicationId' | 'userId' | 'tenantId'>,
    restartable: readonly InstallStatusValue[],
    application: { packageName: string; versionCode: number },
    context: { requestId: string },
  ): Promise<DeviceApplicationRow | undefined> {
    const now = new Date();
    return this.database.db.transaction(async (tx) => {
      const [requested] = await tx
        .insert(deviceApplications)
        .values({ ...row, status: 'PENDING', requestedAt: now, updatedAt: now })
        .onConflictDoUpdate({
          target: [deviceApplications.deviceId, deviceApplications.applicationId],
          // A restarted install takes the device's current owner and tenant.
          set: { userId: row.userId, tenantId: row.tenantId ?? null, status: 'PENDING', error: null, requestedAt: now, installedAt: null, updatedAt: now },
          setWhere: inArray(deviceApplications.status, [...restartable]),
        })
        .returning();
      if (requested) {
        // The devices side performs the install and answers with app.install.completed or .failed.
        await this.outbox.append(
          tx,
          {
            type: 'app.install.requested',
            data: { installId: requested.id, deviceId: requested.deviceId, applicationId: requested.applicationId, userId: requested.userId, ...application },
            aggregateId: requested.id,
            tenantId: requested.tenantId,
            userId: requested.userId,
          },
          context,
        );
      }
      return requested;
    });
  }

  /**
   * Records the device's answer to an install request in the caller's (inbox)
   * transaction, only while the install still waits for it: a late answer to a
   * request that was since restarted or removed changes nothing.
   */
  async applyResult(tx: Database, installId: string, result: { status: 'INSTALLED' } | { status: 'FAILED'; error: string }): Promise<boolean> {
    const now = new Date();
    const updated = await tx
      .update(deviceApplications)
      .set(result.status === 'INSTALLED' ? { status: 'INSTALLED', error: null, installedAt: now, updatedAt: now } : { status: 'FAILED', error: result.error, updatedAt: now })
      .where(and(eq(deviceApplications.id, installId), inArray(deviceApplications.status, ['PENDING', 'INSTALLING'])))
      .returning({ id: deviceApplications.id });
    return updated.length > 0;
  }

  /** Changes the status only while it is still `from` (compare-and-set); undefined when it was not. */
  async updateStatus(
    id: string,
    from: InstallStatusValue,
    changes: Pick<NewDeviceApplicationRow, 'status'> & Partial<Pick<NewDeviceApplicationRow, 'error' | 'installedAt'>>,
  ): Promise<DeviceApplicationRow | undefined> {
    const [updated] = await this.database.db
      .update(deviceApplications)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(deviceApplications.id, id), eq(deviceApplications.status, from)))
      .returning();
    return updated;
  }
}
