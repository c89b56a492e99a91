import { type Page, type PageRequest, cursorOf } from '@cloudphone/db';
import { AppError, badUserInput } from '@cloudphone/errors';
import {
  type Principal,
  type RowOwner,
  type RowScope,
  assertAccess,
  assertAnyAccess,
  fieldRuleFor,
  maskEmail,
  readableField,
  readableOrError,
  rowScope,
} from '@cloudphone/identity';
import {
  type ConnectionArgs,
  type ConnectionShape,
  type RequestContext,
  SortDirection,
  byKeys,
  parseId,
  parseOptionalId,
  toConnection,
  toPageRequest,
} from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { BILLING_SETTINGS, type BillingSettings } from '../config.js';
import type { OrderRow } from '../database/schema.js';
import { formatMoney } from '../money/money.js';
import { DevicesClient, type RemoteDevice } from '../peers/devices.client.js';
import { resolveBuyer } from '../peers/buyer.js';
import { UsersClient } from '../peers/users.client.js';
import { PURCHASE_PLAN } from '../sagas/saga-kinds.js';
import { SagasRepository } from '../sagas/sagas.repository.js';
import type { Plan } from '../plans/models/plan.model.js';
import { PlansService } from '../plans/plans.service.js';
import type { CreateOrderInput } from './models/order.inputs.js';
import { type Order, type OrderCopies, type OrderFilter, type OrderOrder, OrderOrderField, type OrderStatus } from './models/order.model.js';
import { assertTransition, statesBefore } from './order-transitions.js';
import { pendingOrder } from './pending-order.js';
import { NEWEST_ORDERS_FIRST, OrdersRepository, orderSort, orderSortValue } from './orders.repository.js';

export function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    userId: row.userId,
    deviceId: row.deviceId,
    planId: row.planId,
    amount: formatMoney(row.amountMinor, row.currency),
    amountMinor: row.amountMinor,
    currency: row.currency,
    status: row.status as OrderStatus,
    createdAt: row.createdAt,
    paidAt: row.paidAt,
    expiresAt: row.expiresAt,
    statusReason: row.statusReason,
    copies: { userName: row.userName, userEmail: row.userEmail, userVersion: row.userVersion, deviceName: row.deviceName, deviceVersion: row.deviceVersion },
  };
}

/** Who an order belongs to, for data scopes: its user and their tenant (null on old rows). */
function ownerOf(row: OrderRow): RowOwner {
  return { userId: row.userId, tenantId: row.tenantId };
}

/** The user copy each sort field reads (its value ends up in every cursor). */
const SORTED_USER_FIELD: Partial<Record<OrderOrderField, string>> = { [OrderOrderField.USER_NAME]: 'displayName', [OrderOrderField.USER_EMAIL]: 'email' };

/**
 * Sorting by a user copy puts its value, unmasked, in each cursor (base64 is
 * not secret): refused to a principal whose roles mask or hide that field on
 * rows not its own. A SELF scope sees only its own rows, which read in full.
 */
function assertSortable(principal: Principal, field: OrderOrderField, scope: RowScope): void {
  const userField = SORTED_USER_FIELD[field];
  if (userField === undefined || scope.kind === 'SELF') return;
  const rule = fieldRuleFor(principal, 'user', userField);
  if (rule === 'MASKED' || rule === 'HIDDEN') throw new AppError('FORBIDDEN', `Sorting by ${field} needs to read the user ${userField} in full, which your role does not`);
}

const EMPTY_PAGE: Page<OrderRow> = { rows: [], hasNextPage: false, totalCount: 0 };
const newestCursor = (row: OrderRow) => cursorOf(NEWEST_ORDERS_FIRST, row.createdAt, row.id);

@Injectable()
export class OrdersService {
  constructor(
    private readonly repository: OrdersRepository,
    private readonly planService: PlansService,
    private readonly users: UsersClient,
    private readonly devices: DevicesClient,
    private readonly sagas: SagasRepository,
    @Inject(BILLING_SETTINGS) private readonly settings: BillingSettings,
  ) {}

  /**
   * Batched by request: resolving N orders in one tick is one query. An order
   * out of the principal's read scope is a FORBIDDEN error for its key only,
   * so in `_entities` just that entity is null.
   */
  byId(context: RequestContext, id: string): Promise<Order | null> {
    return context.loaders
      .get<string, Order | null>('Order.byId', async (ids) => {
        const rows = byKeys(ids, await this.repository.findByIds(ids), (row) => row.id);
        return rows.map((row) => (row === null ? null : readableOrError(context.principal, 'order', toOrder(row), ownerOf(row))));
      })
      .load(id);
  }

  /** The orders within the principal's read scope (filtered in SQL, so totalCount and paging count only those). */
  async list(context: RequestContext, args: ConnectionArgs, filter: OrderFilter | null | undefined, order: OrderOrder | null | undefined): Promise<ConnectionShape<Order>> {
    const scope = assertAnyAccess(context.principal, 'order');
    const field = order?.field ?? OrderOrderField.CREATED_AT;
    assertSortable(context.principal, field, scope);
    const sort = orderSort(field, order?.direction ?? SortDirection.DESC);
    const request = toPageRequest(args);
    const page = await this.repository.findPage(
      {
        userId: parseOptionalId(filter?.userId, 'filter.userId'),
        deviceId: parseOptionalId(filter?.deviceId, 'filter.deviceId'),
        status: filter?.status ?? undefined,
        sort,
      },
      request,
      scope,
    );
    return toConnection(page, request, (row) => cursorOf(sort, orderSortValue(field, row), row.id), toOrder);
  }

  /**
   * A user's orders within the principal's read scope (another user's are
   * none of a USER's), newest first. All users asking with the same arguments
   * in one request share a loader, so N users cost one statement.
   */
  ordersOfUser(context: RequestContext, userId: string, args: ConnectionArgs, status: OrderStatus | undefined): Promise<ConnectionShape<Order>> {
    const request = toPageRequest(args);
    const scope = rowScope(context.principal, 'order');
    return context.loaders
      .get<string, ConnectionShape<Order>>(`User.orders:${pageKey(request, args, status)}`, async (ids) => {
        const pages = await this.repository.findPagesPerUser(ids, request, status, scope);
        return ids.map((id) => toConnection(pages.get(id) ?? EMPTY_PAGE, request, newestCursor, toOrder));
      })
      .load(userId);
  }

  /** A device's orders within the principal's read scope, newest first; batched like `ordersOfUser`. */
  ordersOfDevice(context: RequestContext, deviceId: string, args: ConnectionArgs): Promise<ConnectionShape<Order>> {
    const request = toPageRequest(args);
    const scope = rowScope(context.principal, 'order');
    return context.loaders
      .get<string, ConnectionShape<Order>>(`Device.orders:${pageKey(request, args, undefined)}`, async (ids) => {
        const pages = await this.repository.findPagesPerDevice(ids, request, scope);
        return ids.map((id) => toConnection(pages.get(id) ?? EMPTY_PAGE, request, newestCursor, toOrder));
      })
      .load(deviceId);
  }

  /** A user's most recent order within the principal's read scope, or null; one statement for any number of users. */
  latestOfUser(context: RequestContext, userId: string): Promise<Order | null> {
    const scope = rowScope(context.principal, 'order');
    return context.loaders
      .get<string, Order | null>('User.latestOrder', async (ids) => byKeys(ids, (await this.repository.findLatestPerUser(ids, scope)).map(toOrder), (order) => order.userId))
      .load(userId);
  }

  /** A device's most recent order within the principal's read scope, or null; one statement for any number of devices. */
  latestOfDevice(context: RequestContext, deviceId: string): Promise<Order | null> {
    const scope = rowScope(context.principal, 'order');
    return context.loaders
      .get<string, Order | null>('Device.latestOrder', async (ids) =>
        byKeys(ids, (await this.repository.findLatestPerDevice(ids, scope)).map(toOrder), (order) => order.deviceId ?? ''),
      )
      .load(deviceId);
  }

  /** The plan of an order (part of an order one may read: no separate plan:read check); the foreign key guarantees it exists. */
  async planOf(context: RequestContext, order: Order): Promise<Plan> {
    const plan = await this.planService.find(context, order.planId);
    if (!plan) throw new Error(`order ${order.id} refers to missing plan ${order.planId}`);
    return plan;
  }

  /**
   * The user copies of an order as the principal may read them: the e-mail
   * (and name) go through the user field rules, masked for an ADMIN on other
   * people's orders; one's own read in full.
   */
  copiesOf(context: RequestContext, order: Order): OrderCopies {
    const { principal } = context;
    return {
      ...order.copies,
      userName: readableField(principal, 'user', 'displayName', order.userId, order.copies.userName),
      userEmail: readableField(principal, 'user', 'email', order.userId, order.copies.userEmail, maskEmail),
    };
  }

  /**
   * Places a PENDING order for an active plan, checking the user (and device)
   * with their subgraphs first: `order:write`, and the user within its scope
   * (a USER orders for itself, an ADMIN for users of its tenant). Nothing is
   * written unless every check passes.
   */
  async create(context: RequestContext, input: CreateOrderInput): Promise<Order> {
    const userId = parseId(input.userId, 'userId');
    const planId = parseId(input.planId, 'planId');
    const deviceId = parseOptionalId(input.deviceId, 'deviceId');
    assertAnyAccess(context.principal, 'order', 'write');

    // The plan being bought is read for the order, whatever the caller's plan:read.
    const plan = await this.planService.find(context, planId);
    if (!plan) throw new AppError('PLAN_NOT_FOUND', 'Plan not found', { details: { field: 'planId' } });
    if (!plan.active) throw badUserInput('This plan is no longer offered', 'planId');

    // The users subgraph answers this service call for any user: the order scope decides for whom one may order.
    const [buyer, device] = await Promise.all([
      resolveBuyer(context, this.users, userId),
      deviceId === undefined ? Promise.resolve(undefined) : this.devices.findById(context, deviceId),
    ]);
    const ownDevice = checkDevice(device, userId);

    const row = await this.repository.insert(
      {
        ...pendingOrder(buyer, plan, new Date(), this.settings.paymentWindowMs),
        deviceId: ownDevice?.id.toLowerCase() ?? null,
        deviceName: ownDevice?.name ?? null,
        deviceVersion: ownDevice?.version ?? null,
      },
      context,
    );
    return toOrder(row);
  }

  /**
   * PENDING -> CANCELLED (expired pending orders too) for an order within the
   * write scope (checked in the update itself); any other state is BAD_USER_INPUT.
   */
  async cancel(context: RequestContext, id: string): Promise<Order> {
    const scope = assertAnyAccess(context.principal, 'order', 'write');
    // A purchase in progress finishes or undoes itself (its payment may be in flight): not cancelled from outside.
    const [saga] = await this.sagas.findBySubjects(PURCHASE_PLAN, [id]);
    if (saga && (saga.status === 'RUNNING' || saga.status === 'COMPENSATING')) {
      const [current] = await this.repository.findByIds([id]);
      if (current) assertAccess(context.principal, 'order', ownerOf(current), 'write');
      throw new AppError('CONFLICT', 'This order is being processed by its purchase; it completes or is undone by itself', { details: { id } });
    }
    const cancelled = await this.repository.transition(id, statesBefore('CANCELLED'), 'CANCELLED', scope, context);
    if (cancelled) return toOrder(cancelled);
    // Not cancelled: say why, from the order as it is now (out of scope first, so its state stays untold).
    const [current] = await this.repository.findByIds([id]);
    if (!current) throw new AppError('NOT_FOUND', 'Order not found', { details: { id } });
    assertAccess(context.principal, 'order', ownerOf(current), 'write');
    assertTransition(current.status, 'CANCELLED');
    throw new AppError('CONFLICT', 'The order changed while it was being cancelled; try again', { details: { id } });
  }
}

/** The device of a new order: undefined without one; missing or someone else's is refused. */
function checkDevice(device: RemoteDevice | null | undefined, userId: string): RemoteDevice | undefined {
  if (device === undefined) return undefined;
  if (device === null) throw new AppError('DEVICE_NOT_FOUND', 'Device not found', { details: { field: 'deviceId' } });
  if (device.userId.toLowerCase() !== userId) throw badUserInput('The device belongs to another user', 'deviceId');
  return device;
}

/** Loaders are shared by parents asking for the same page; this names the page. */
function pageKey(request: PageRequest, args: ConnectionArgs, status: OrderStatus | undefined): string {
  return JSON.stringify([request.limit, args.after ?? null, status ?? null]);
}
