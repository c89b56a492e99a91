import { randomUUID } from 'node:crypto';
import type { SubgraphDatabase } from '@cloudphone/db';
import { AppError, badUserInput } from '@cloudphone/errors';
import { assertAnyAccess } from '@cloudphone/identity';
import { DATABASE, type RequestContext } from '@cloudphone/subgraph-kit';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BILLING_SETTINGS, type BillingSettings } from '../config.js';
import type { PaymentRow } from '../database/schema.js';
import { formatMoney, parseMoney } from '../money/money.js';
import { resolveBuyer } from '../peers/buyer.js';
import { UsersClient } from '../peers/users.client.js';
import type { RechargeBalanceInput } from './models/payment.inputs.js';
import { type Payment, PaymentMethod, type PaymentPurpose, type PaymentStatus } from './models/payment.model.js';
import { PAYMENT_PROVIDER, type PaymentProvider, type ProviderEvent } from './payment-provider.js';
import { PaymentSettlement, providerRefundKey } from './payment-settlement.js';
import { PaymentsRepository } from './payments.repository.js';

export function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    purpose: row.purpose as PaymentPurpose,
    method: row.method as PaymentMethod,
    status: row.status as PaymentStatus,
    amount: formatMoney(row.amountMinor, row.currency),
    currency: row.currency,
    providerReference: row.providerReference,
    failureReason: row.failureReason,
    createdAt: row.createdAt,
    succeededAt: row.succeededAt,
    refundedAt: row.refundedAt,
    userId: row.userId,
    tenantId: row.tenantId,
    orderId: row.orderId,
  };
}

export type CallbackOutcome = 'applied' | 'duplicate' | 'unknown-payment';

@Injectable()
export class PaymentsService {
  private readonly logger = new Logger('billing-payments');

  constructor(
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    private readonly repository: PaymentsRepository,
    private readonly settlement: PaymentSettlement,
    private readonly users: UsersClient,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(BILLING_SETTINGS) private readonly settings: BillingSettings,
  ) {}

  /** The payments of an order (part of an order one may read), oldest first; one statement for N orders. */
  ofOrder(context: RequestContext, orderId: string): Promise<Payment[]> {
    return context.loaders
      .get<string, Payment[]>('Order.payments', async (orderIds) => {
        const rows = await this.repository.findByOrderIds(orderIds);
        return orderIds.map((id) => rows.filter((row) => row.orderId === id).map(toPayment));
      })
      .load(orderId);
  }

  /**
   * Buys credit through the provider: the payment is recorded under the
   * client's key first, then sent to the provider with that key, so a retry
   * (the client's, or after a crash between the two) charges once. The
   * balance is credited when the provider confirms (callback or query).
   * Needs order:write over the user (buying credit is a purchase).
   */
  async recharge(context: RequestContext, input: RechargeBalanceInput): Promise<Payment> {
    assertAnyAccess(context.principal, 'order', 'write');
    if (input.method === PaymentMethod.BALANCE) throw badUserInput('A balance cannot be recharged from itself', 'method');
    const currency = input.currency ?? this.settings.currency;
    const amountMinor = parseMoney(input.amount, currency, 'amount');
    if (amountMinor <= 0) throw badUserInput('"amount" must be more than zero', 'amount');
    const { userId, user } = await resolveBuyer(context, this.users, input.userId);

    const idempotencyKey = `recharge:${userId}:${input.idempotencyKey}`;
    let payment = await this.database.db.transaction((tx) =>
      this.repository.insertOnce(tx, {
        id: randomUUID(),
        purpose: 'RECHARGE',
        userId,
        tenantId: user.tenantId,
        method: input.method,
        amountMinor,
        currency,
        idempotencyKey,
        provider: this.provider.name,
      }),
    );
    if (payment.amountMinor !== amountMinor || payment.currency !== currency || payment.method !== input.method) {
      throw new AppError('CONFLICT', 'This idempotency key was used for another recharge', { details: { field: 'idempotencyKey' } });
    }
    if (payment.status !== 'PENDING') return toPayment(payment);
    const charge = await this.provider.charge({ idempotencyKey, amountMinor, currency, token: input.paymentToken, description: 'Balance recharge' });
    payment = await this.database.db.transaction((tx) => this.settlement.recordCharge(tx, payment, charge, context));
    return toPayment(payment);
  }

  /**
   * A verified provider callback: recorded by its event id and applied in
   * one transaction, so a redelivered or concurrent duplicate changes
   * nothing. An event about a payment billing does not know writes nothing.
   */
  async applyProviderEvent(event: ProviderEvent, requestId: string): Promise<CallbackOutcome> {
    return this.database.db.transaction(async (tx) => {
      const payment = await this.repository.lockByReference(tx, this.provider.name, event.reference);
      if (!payment) return 'unknown-payment';
      if (!(await this.repository.recordCallback(tx, this.provider.name, event.eventId, payment.id, event.outcome))) return 'duplicate';
      await this.settlement.settle(tx, payment, event.outcome, { requestId }, event.failureReason);
      return 'applied';
    });
  }

  /** Gives back money marked REFUNDING (captured after its order was given up); keyed at the provider, so a repeat refunds once. */
  async refundPending(requestId: string): Promise<number> {
    const due = await this.repository.findRefunding(20);
    let refunded = 0;
    for (const payment of due) {
      if (payment.providerReference === null) continue;
      try {
        await this.provider.refund(payment.providerReference, providerRefundKey(payment.id));
        await this.database.db.transaction((tx) => this.settlement.settle(tx, payment, 'REFUNDED', { requestId }));
        refunded += 1;
      } catch (error) {
        // One refund the provider refuses does not hold up the others; it is tried again on the next sweep.
        this.logger.warn(`refunding payment ${payment.id} failed: ${(error as Error).message}`);
      }
    }
    return refunded;
  }
}
