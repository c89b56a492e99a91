import { randomUUID } from 'node:crypto';
import type { SubgraphDatabase } from '@cloudphone/db';
import { AppError, badUserInput } from '@cloudphone/errors';
import { assertAnyAccess } from '@cloudphone/identity';
import { DATABASE, type RequestContext, UNIQUE_VIOLATION, parseId, sqlState } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { BILLING_SETTINGS, type BillingSettings } from '../config.js';
import type { NewOrderRow, OrderRow } from '../database/schema.js';
import type { Order } from '../orders/models/order.model.js';
import { OrdersRepository } from '../orders/orders.repository.js';
import { pendingOrder } from '../orders/pending-order.js';
import { toOrder } from '../orders/orders.service.js';
import { PaymentMethod } from '../payments/models/payment.model.js';
import { resolveBuyer } from '../peers/buyer.js';
import { UsersClient } from '../peers/users.client.js';
import { PlansService } from '../plans/plans.service.js';
import { SagaRunner } from '../sagas/saga-runner.service.js';
import { SagasRepository } from '../sagas/sagas.repository.js';
import type { PurchasePlanInput } from './models/purchase.inputs.js';
import { PURCHASE_PLAN } from '../sagas/saga-kinds.js';
import { type PurchaseState, firstStep } from './purchase-plan.saga.js';

@Injectable()
export class PurchasesService {
  constructor(
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    private readonly orders: OrdersRepository,
    private readonly sagas: SagasRepository,
    private readonly runner: SagaRunner,
    private readonly plans: PlansService,
    private readonly users: UsersClient,
    @Inject(BILLING_SETTINGS) private readonly settings: BillingSettings,
  ) {}

  /**
   * Starts a purchase: the PENDING order and its saga are written in one
   * transaction and the order is returned at once; the saga charges, creates
   * the device and ends the order PAID (device RUNNING), or undoes what it did
   * and ends it FAILED or CANCELLED. Needs order:write over the buyer.
   */
  async purchase(context: RequestContext, input: PurchasePlanInput): Promise<Order> {
    assertAnyAccess(context.principal, 'order', 'write');
    const planId = parseId(input.planId, 'planId');
    const method = input.method ?? PaymentMethod.BALANCE;
    const paymentToken = input.paymentToken ?? null;
    if (method === PaymentMethod.BALANCE && paymentToken !== null) throw badUserInput('A BALANCE payment takes no paymentToken', 'paymentToken');
    if (method !== PaymentMethod.BALANCE && paymentToken === null) throw badUserInput(`A ${method} payment needs a paymentToken`, 'paymentToken');
    const deviceName = input.deviceName?.trim();
    if (deviceName === '') throw badUserInput('"deviceName" must not be blank', 'deviceName');

    const plan = await this.plans.find(context, planId);
    if (!plan) throw new AppError('PLAN_NOT_FOUND', 'Plan not found', { details: { field: 'planId' } });
    if (!plan.active) throw badUserInput('This plan is no longer offered', 'planId');
    if (plan.priceMinor <= 0) throw badUserInput('A free plan is not bought', 'planId');
    const buyer = await resolveBuyer(context, this.users, input.userId);
    const { userId, user } = buyer;

    const purchaseKey = input.idempotencyKey ?? null;
    if (purchaseKey !== null) {
      const placed = await this.orders.findByPurchaseKey(userId, purchaseKey);
      if (placed) return this.repeated(placed, plan.id);
    }

    const orderId = randomUUID();
    const row = { ...pendingOrder(buyer, plan, new Date(), this.settings.paymentWindowMs), id: orderId, purchaseKey };
    const state: PurchaseState = {
      orderId,
      userId,
      tenantId: user.tenantId,
      method,
      paymentToken,
      amountMinor: plan.priceMinor,
      currency: plan.currency,
      paymentId: randomUUID(),
      deviceId: randomUUID(),
      deviceName: deviceName ?? plan.name.slice(0, 64),
      spec: plan.spec,
      expiresAt: row.expiresAt.toISOString(),
      requestId: context.requestId,
    };
    let order: OrderRow;
    try {
      order = await this.place(row, state, context);
    } catch (error) {
      // The same key in a concurrent request won the insert: answer with its order.
      const placed = purchaseKey !== null && sqlState(error) === UNIQUE_VIOLATION ? await this.orders.findByPurchaseKey(userId, purchaseKey) : undefined;
      if (placed) return this.repeated(placed, plan.id);
      throw error;
    }
    this.runner.kick();
    return toOrder(order);
  }

  /** The PENDING order and the saga that will carry it out, in one transaction. */
  private place(row: NewOrderRow, state: PurchaseState, context: RequestContext): Promise<OrderRow> {
    return this.database.db.transaction(async (tx) => {
      const placed = await this.orders.insertIn(tx, row, context);
      await this.sagas.insert(tx, { id: randomUUID(), kind: PURCHASE_PLAN, step: firstStep(state.method), state, subjectId: placed.id });
      return placed;
    });
  }

  /** A purchase repeated with its key: the first order, unless the key was used for another plan. */
  private repeated(placed: OrderRow, planId: string): Order {
    if (placed.planId !== planId) throw new AppError('CONFLICT', 'This idempotency key was used for a purchase of another plan', { details: { field: 'idempotencyKey' } });
    return toOrder(placed);
  }
}
