import { type Database, type KeysetSort, type Page, type PageRequest, type SortDirection, type SubgraphDatabase, afterCursor, orderByKeyset, pagesPerParent, rowScopeCondition, pageOf } from '@cloudphone/db';
import { type EventPayload, Outbox } from '@cloudphone/events';
import type { RowScope } from '@cloudphone/identity';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { type SQL, and, count, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { type NewOrderRow, type OrderRow, orders, sagas } from '../database/schema.js';

export type OrderSortField = 'CREATED_AT' | 'AMOUNT' | 'USER_NAME' | 'USER_EMAIL';
export type OrderStatusValue = OrderRow['status'];
type OrderChanges = Pick<Partial<NewOrderRow>, 'paidAt' | 'statusReason' | 'deviceId' | 'deviceName'>;

/** Lists of a user's or a device's orders: newest first. */
export const NEWEST_ORDERS_FIRST: KeysetSort = { column: orders.createdAt, id: orders.id, direction: 'DESC', kind: 'timestamp' };

export function orderSort(field: OrderSortField, direction: SortDirection): KeysetSort {
  switch (field) {
    case 'AMOUNT':
      return { column: orders.amountMinor, id: orders.id, direction, kind: 'number' };
    case 'USER_NAME':
      return { column: orders.userName, id: orders.id, direction, kind: 'text' };
    case 'USER_EMAIL':
      return { column: orders.userEmail, id: orders.id, direction, kind: 'text' };
    case 'CREATED_AT':
      return { column: orders.createdAt, id: orders.id, direction, kind: 'timestamp' };
  }
}

/** The value a row is sorted by under `field` (the first half of its cursor). */
export function orderSortValue(field: OrderSortField, row: OrderRow): Date | number | string {
  switch (field) {
    case 'AMOUNT':
      return row.amountMinor;
    case 'USER_NAME':
      return row.userName;
    case 'USER_EMAIL':
      return row.userEmail;
    case 'CREATED_AT':
      return row.createdAt;
  }
}

export interface OrderQuery {
  userId?: string | undefined;
  deviceId?: string | undefined;
  status?: OrderStatusValue | undefined;
  sort: KeysetSort;
}

/** The event each status an order moves to announces. */
const STATUS_EVENTS: Partial<Record<OrderStatusValue, 'order.paid' | 'order.cancelled' | 'order.refunded'>> = {
  PAID: 'order.paid',
  CANCELLED: 'order.cancelled',
  REFUNDED: 'order.refunded',
};

export function orderPayload(row: OrderRow): EventPayload<'order.created'> {
  return {
    orderId: row.id,
    userId: row.userId,
    deviceId: row.deviceId,
    planId: row.planId,
    status: row.status,
    amountMinor: row.amountMinor,
    currency: row.currency,
  };
}

/** The orders a row scope reaches: its user's (SELF) or its tenant's (TENANT; a null tenant never matches). */
function inScope(scope: RowScope): SQL | undefined {
  return rowScopeCondition(scope, { userId: orders.userId, tenantId: orders.tenantId });
}

@Injectable()
export class OrdersRepository {
  constructor(
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    private readonly outbox: Outbox,
  ) {}

  async findByIds(ids: readonly string[]): Promise<OrderRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(orders).where(inArray(orders.id, [...ids]));
  }

  /** A page of the orders within `scope`; the scope is part of the WHERE, so totalCount and paging count only those. */
  async findPage(query: OrderQuery, page: PageRequest, scope: RowScope): Promise<Page<OrderRow>> {
    const { db } = this.database;
    const filter: (SQL | undefined)[] = [
      inScope(scope),
      query.userId === undefined ? undefined : eq(orders.userId, query.userId),
      query.deviceId === undefined ? undefined : eq(orders.deviceId, query.deviceId),
      query.status === undefined ? undefined : eq(orders.status, query.status),
    ];
    const rows = await db
        .select()
        .from(orders)
        .where(and(...filter, afterCursor(query.sort, page.after)))
        .orderBy(...orderByKeyset(query.sort))
        .limit(page.limit + 1);
    return pageOf(rows, page.limit, () => db.select({ value: count() }).from(orders).where(and(...filter)));
  }

  /** One page of newest-first orders within `scope` for each user, in one statement. */
  findPagesPerUser(userIds: readonly string[], page: PageRequest, status: OrderStatusValue | undefined, scope: RowScope): Promise<Map<string, Page<OrderRow>>> {
    return pagesPerParent<OrderRow>(this.database.db, {
      table: orders,
      parent: orders.userId,
      parentKey: 'userId',
      parentIds: userIds,
      sort: NEWEST_ORDERS_FIRST,
      page,
      where: and(inScope(scope), status === undefined ? undefined : eq(orders.status, status)),
    });
  }

  /** One page of newest-first orders within `scope` for each device, in one statement. */
  findPagesPerDevice(deviceIds: readonly string[], page: PageRequest, scope: RowScope): Promise<Map<string, Page<OrderRow>>> {
    return pagesPerParent<OrderRow>(this.database.db, {
      table: orders,
      parent: orders.deviceId,
      parentKey: 'deviceId',
      parentIds: deviceIds,
      sort: NEWEST_ORDERS_FIRST,
      page,
      where: inScope(scope),
    });
  }

  /** The newest order within `scope` of each user that has one, in one statement (DISTINCT ON walks the user index). */
  async findLatestPerUser(userIds: readonly string[], scope: RowScope): Promise<OrderRow[]> {
    if (userIds.length === 0) return [];
    return this.database.db
      .selectDistinctOn([orders.userId])
      .from(orders)
      .where(and(inArray(orders.userId, [...userIds]), inScope(scope)))
      .orderBy(orders.userId, desc(orders.createdAt), desc(orders.id));
  }

  /** The newest order within `scope` of each device that has one, in one statement. */
  async findLatestPerDevice(deviceIds: readonly string[], scope: RowScope): Promise<OrderRow[]> {
    if (deviceIds.length === 0) return [];
    return this.database.db
      .selectDistinctOn([orders.deviceId])
      .from(orders)
      .where(and(inArray(orders.deviceId, [...deviceIds]), inScope(scope)))
      .orderBy(orders.deviceId, desc(orders.createdAt), desc(orders.id));
  }

  async insert(row: NewOrderRow, context: { requestId: string }): Promise<OrderRow> {
    return this.database.db.transaction((tx) => this.insertIn(tx, row, context));
  }

  /** Inserts an order and its order.created event inside the caller's transaction. */
  async insertIn(tx: Database, row: NewOrderRow, context: { requestId: string }): Promise<OrderRow> {
    const [created] = await tx.insert(orders).values(row).returning();
    if (!created) throw new Error('insert into orders returned no row');
    await this.outbox.append(tx, { type: 'order.created', data: orderPayload(created), aggregateId: created.id, tenantId: created.tenantId, userId: created.userId }, context);
    return created;
  }

  /** The order a buyer's purchase key placed, if any. */
  async findByPurchaseKey(userId: string, purchaseKey: string): Promise<OrderRow | undefined> {
    const [row] = await this.database.db
      .select()
      .from(orders)
      .where(and(eq(orders.userId, userId), eq(orders.purchaseKey, purchaseKey)));
    return row;
  }

  /** Records the device a purchase is creating, so clients can follow it from the order. */
  async setDevice(tx: Database, id: string, deviceId: string, deviceName: string): Promise<void> {
    await tx.update(orders).set({ deviceId, deviceName, updatedAt: new Date() }).where(eq(orders.id, id));
  }

  /**
   * Cancels the pending orders whose payment window has closed, except those
   * a purchase saga drives (the saga cancels its own, with its payment), in
   * one transaction with their order.cancelled events.
   */
  async cancelExpired(context: { requestId: string }, limit: number): Promise<OrderRow[]> {
    return this.database.db.transaction(async (tx) => {
      const expired = tx
        .select({ id: orders.id })
        .from(orders)
        .where(
          and(
            eq(orders.status, 'PENDING'),
            sql`${orders.expiresAt} <= now()`,
            sql`not exists (select 1 from ${sagas} where ${sagas.subjectId} = ${orders.id} and ${sagas.status} in ('RUNNING', 'COMPENSATING'))`,
          ),
        )
        .limit(limit)
        .for('update', { skipLocked: true });
      const cancelled = await tx
        .update(orders)
        .set({ status: 'CANCELLED', statusReason: 'EXPIRED: not paid within the payment window', updatedAt: new Date() })
        .where(inArray(orders.id, expired))
        .returning();
      for (const row of cancelled) await this.outbox.append(tx, { type: 'order.cancelled', data: orderPayload(row), aggregateId: row.id, tenantId: row.tenantId, userId: row.userId }, context);
      return cancelled;
    });
  }

  /** Refreshes the user copies (tenant included, which fills orders from before it was copied) on a user's orders; only a newer version overwrites. */
  async applyUserSnapshot(tx: Database, user: { userId: string; tenantId: string; displayName: string; email: string; version: number }): Promise<number> {
    const updated = await tx
      .update(orders)
      .set({ tenantId: user.tenantId, userName: user.displayName, userEmail: user.email, userVersion: user.version })
      .where(and(eq(orders.userId, user.userId), lt(orders.userVersion, user.version)))
      .returning({ id: orders.id });
    return updated.length;
  }

  /** Refreshes the device name copied on a device's orders; only a newer version overwrites. */
  async applyDeviceSnapshot(tx: Database, device: { deviceId: string; name: string; version: number }): Promise<number> {
    const updated = await tx
      .update(orders)
      .set({ deviceName: device.name, deviceVersion: device.version })
      .where(and(eq(orders.deviceId, device.deviceId), or(isNull(orders.deviceVersion), lt(orders.deviceVersion, device.version))))
      .returning({ id: orders.id });
    return updated.length;
  }

  /**
   * Moves an order to `to` only while it is in one of `from` (compare and set),
   * so concurrent transitions cannot both win, and only while it is within
   * `scope`. Undefined when the order is missing, out of scope or no longer in one of `from`.
   */
  async transition(
    id: string,
    from: readonly OrderStatusValue[],
    to: OrderStatusValue,
    scope: RowScope,
    context: { requestId: string },
    changes: OrderChanges = {},
  ): Promise<OrderRow | undefined> {
    return this.database.db.transaction((tx) => this.transitionIn(tx, id, from, to, scope, context, changes));
  }

  /** `transition` inside the caller's transaction. */
  async transitionIn(
    tx: Database,
    id: string,
    from: readonly OrderStatusValue[],
    to: OrderStatusValue,
    scope: RowScope,
    context: { requestId: string },
    changes: OrderChanges = {},
  ): Promise<OrderRow | undefined> {
    if (from.length === 0) return undefined;
    const [updated] = await tx
      .update(orders)
      .set({ ...changes, status: to, updatedAt: new Date() })
      .where(and(eq(orders.id, id), inArray(orders.status, [...from]), inScope(scope)))
      .returning();
    const type = updated ? STATUS_EVENTS[updated.status] : undefined;
    if (updated && type) await this.outbox.append(tx, { type, data: orderPayload(updated), aggregateId: updated.id, tenantId: updated.tenantId, userId: updated.userId }, context);
    return updated;
  }
}
