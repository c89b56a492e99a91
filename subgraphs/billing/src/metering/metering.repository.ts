import { type Database, type KeysetSort, type Page, type PageRequest, type SubgraphDatabase, pagesPerParent, rowScopeCondition } from '@cloudphone/db';
import type { RowScope } from '@cloudphone/identity';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { type SQL, and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import {
  type MeteredDeviceRow,
  type MeteringStatusEventRow,
  type NewUsageRecordRow,
  type UsageRecordRow,
  meteredDevices,
  meteringStatusEvents,
  orders,
  plans,
  usageRecords,
} from '../database/schema.js';
import type { RuleSpec } from '../billing-rules/rule-match.js';
import type { PaidPlanOrder } from './coverage.js';

/** A device's usage records, newest first. */
export const NEWEST_USAGE_FIRST: KeysetSort = { column: usageRecords.startedAt, id: usageRecords.id, direction: 'DESC', kind: 'timestamp' };

/** What the status events say of a device's owner. */
export interface DeviceOwner {
  deviceId: string;
  userId: string;
  tenantId: string | null;
}

/** Totals of a device's closed usage records in one currency. */
export interface UsageTotalsRow {
  deviceId: string;
  currency: string;
  records: number;
  runningMs: number;
  costMinor: number;
  chargedMinor: number;
  unpaidMinor: number;
}

/** Usage records a principal reaches: the payment scope (money), on the record's user and tenant. */
function inScope(scope: RowScope): SQL | undefined {
  return rowScopeCondition(scope, { userId: usageRecords.userId, tenantId: usageRecords.tenantId });
}

/** No status event of the device after the run's: the run's end is not still on its way. */
const notSuperseded = sql`not exists (select 1 from ${meteringStatusEvents} where ${meteringStatusEvents.deviceId} = ${usageRecords.deviceId} and ${meteringStatusEvents.version} > ${usageRecords.runVersion})`;

@Injectable()
export class MeteringRepository {
  constructor(@Inject(DATABASE) private readonly database: SubgraphDatabase) {}

  /** The device's metering row, locked for the caller's transaction (created on first sight). */
  async lockDevice(tx: Database, owner: DeviceOwner): Promise<MeteredDeviceRow> {
    await tx.insert(meteredDevices).values(owner).onConflictDoNothing();
    const [row] = await tx.select().from(meteredDevices).where(eq(meteredDevices.deviceId, owner.deviceId)).for('update');
    if (!row) throw new Error(`metered device ${owner.deviceId} vanished under its lock`);
    return row;
  }

  /** The device's metering row, locked, unless another transaction (the status consumer, another replica's sweep) holds it. */
  async lockDeviceIfFree(tx: Database, deviceId: string): Promise<MeteredDeviceRow | undefined> {
    const [row] = await tx.select().from(meteredDevices).where(eq(meteredDevices.deviceId, deviceId)).for('update', { skipLocked: true });
    return row;
  }

  async setDeviceSpecs(tx: Database, deviceId: string, provider: string, spec: RuleSpec): Promise<void> {
    await tx.update(meteredDevices).set({ provider, ...spec }).where(eq(meteredDevices.deviceId, deviceId));
  }

  /** Records a status event; false when the device's event of that version was recorded before (a duplicate). */
  async logStatus(tx: Database, event: MeteringStatusEventRow): Promise<boolean> {
    const inserted = await tx.insert(meteringStatusEvents).values(event).onConflictDoNothing().returning({ version: meteringStatusEvents.version });
    return inserted.length > 0;
  }

  /** The device's recorded status event just after (`next`) or just before (`previous`) `version`, if any. */
  async neighbourLogged(tx: Database, deviceId: string, version: number, side: 'next' | 'previous'): Promise<MeteringStatusEventRow | undefined> {
    const [row] = await tx
      .select()
      .from(meteringStatusEvents)
      .where(and(eq(meteringStatusEvents.deviceId, deviceId), side === 'next' ? gt(meteringStatusEvents.version, version) : lt(meteringStatusEvents.version, version)))
      .orderBy(side === 'next' ? asc(meteringStatusEvents.version) : desc(meteringStatusEvents.version))
      .limit(1);
    return row;
  }

  /** Opens a segment; undefined when that segment of the run exists already. */
  async openSegment(tx: Database, row: NewUsageRecordRow): Promise<UsageRecordRow | undefined> {
    const [created] = await tx.insert(usageRecords).values(row).onConflictDoNothing().returning();
    return created;
  }

  /** The open segment of a device's run, if the run is still open. */
  async openSegmentOfRun(tx: Database, deviceId: string, runVersion: number): Promise<UsageRecordRow | undefined> {
    const [row] = await tx
      .select()
      .from(usageRecords)
      .where(and(eq(usageRecords.deviceId, deviceId), eq(usageRecords.runVersion, runVersion), isNull(usageRecords.endedAt)));
    return row;
  }

  /** A device's open segments the sweep may cut at `cutoff`: started before it, of runs whose end is not on its way. */
  openSegmentsToCut(tx: Database, deviceId: string, cutoff: Date): Promise<UsageRecordRow[]> {
    return tx
      .select()
      .from(usageRecords)
      .where(and(eq(usageRecords.deviceId, deviceId), isNull(usageRecords.endedAt), lt(usageRecords.startedAt, cutoff), notSuperseded));
  }

  /** Devices with a segment to cut at `cutoff` (read outside any lock; each is checked again under its device lock). */
  async devicesToCut(cutoff: Date, limit: number): Promise<string[]> {
    const rows = await this.database.background
      .selectDistinct({ deviceId: usageRecords.deviceId })
      .from(usageRecords)
      .where(and(isNull(usageRecords.endedAt), lt(usageRecords.startedAt, cutoff), notSuperseded))
      .limit(limit);
    return rows.map((row) => row.deviceId);
  }

  /**
   * Ends an open segment (compare and set on `ended_at is null`, so it ends
   * once whoever gets there first); undefined when it had already ended.
   */
  async closeSegment(
    tx: Database,
    id: string,
    fields: Pick<UsageRecordRow, 'endedAt' | 'endedBy' | 'durationMs' | 'coveredMs' | 'costMinor' | 'invoiceId'>,
  ): Promise<UsageRecordRow | undefined> {
    const [row] = await tx
      .update(usageRecords)
      .set({ ...fields, chargedMinor: 0, unpaidMinor: fields.costMinor, updatedAt: new Date() })
      .where(and(eq(usageRecords.id, id), isNull(usageRecords.endedAt)))
      .returning();
    return row;
  }

  async setCharged(tx: Database, id: string, charge: { chargedMinor: number; unpaidMinor: number }): Promise<void> {
    await tx.update(usageRecords).set(charge).where(eq(usageRecords.id, id));
  }

  /** Paid plan orders for the device whose period may overlap [from, to): what prepays its running time. */
  async paidPlanOrders(tx: Database, deviceId: string, from: Date, to: Date): Promise<PaidPlanOrder[]> {
    const rows = await tx
      .select({ paidAt: orders.paidAt, periodDays: plans.periodDays })
      .from(orders)
      .innerJoin(plans, eq(plans.id, orders.planId))
      .where(
        and(
          eq(orders.deviceId, deviceId),
          eq(orders.status, 'PAID'),
          lt(orders.paidAt, to),
          sql`${orders.paidAt} + make_interval(days => ${plans.periodDays}) > ${from.toISOString()}::timestamptz`,
        ),
      );
    return rows.flatMap((row) => (row.paidAt === null ? [] : [{ paidAt: row.paidAt, periodDays: row.periodDays }]));
  }

  /** One page of newest-first usage records within `scope` for each device, in one statement. */
  pagesPerDevice(deviceIds: readonly string[], page: PageRequest, scope: RowScope): Promise<Map<string, Page<UsageRecordRow>>> {
    return pagesPerParent<UsageRecordRow>(this.database.db, {
      table: usageRecords,
      parent: usageRecords.deviceId,
      parentKey: 'deviceId',
      parentIds: deviceIds,
      sort: NEWEST_USAGE_FIRST,
      page,
      where: inScope(scope),
    });
  }

  /** Totals of closed records within `scope` per device and currency, in one statement for any number of devices. */
  async totalsPerDevice(deviceIds: readonly string[], scope: RowScope): Promise<UsageTotalsRow[]> {
    if (deviceIds.length === 0) return [];
    return this.database.db
      .select({
        deviceId: usageRecords.deviceId,
        currency: usageRecords.currency,
        records: sql<number>`count(*)::int`,
        runningMs: sql<number>`coalesce(sum(${usageRecords.durationMs}), 0)::bigint`.mapWith(Number),
        costMinor: sql<number>`coalesce(sum(${usageRecords.costMinor}), 0)::bigint`.mapWith(Number),
        chargedMinor: sql<number>`coalesce(sum(${usageRecords.chargedMinor}), 0)::bigint`.mapWith(Number),
        unpaidMinor: sql<number>`coalesce(sum(${usageRecords.unpaidMinor}), 0)::bigint`.mapWith(Number),
      })
      .from(usageRecords)
      .where(and(inArray(usageRecords.deviceId, [...deviceIds]), isNotNull(usageRecords.endedAt), inScope(scope)))
      .groupBy(usageRecords.deviceId, usageRecords.currency)
      .orderBy(usageRecords.deviceId, usageRecords.currency);
  }
}
