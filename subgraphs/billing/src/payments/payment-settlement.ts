import type { Database } from '@cloudphone/db';
import { Outbox } from '@cloudphone/events';
import { Injectable } from '@nestjs/common';
import type { PaymentRow } from '../database/schema.js';
import { LedgerService } from '../balances/ledger.service.js';
import { SagasRepository } from '../sagas/sagas.repository.js';
import type { ProviderCharge } from './payment-provider.js';
import { PaymentsRepository } from './payments.repository.js';

/**
 * The one key a payment's refund is asked with at its provider, whoever asks
 * (the purchase undoing itself, the sweep giving back a late capture): the
 * provider refunds a payment once however many of them get there.
 */
export function providerRefundKey(paymentId: string): string {
  return `payment:${paymentId}:refund`;
}

export type SettledOutcome = 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'REFUNDED';

const OUTSTANDING = ['PENDING', 'PROCESSING'] as const;

/**
 * What a payment's final outcome does, whoever learns it first (a provider
 * callback, a saga asking the provider, a balance debit): the status moves
 * by compare and set, so learning it twice changes nothing. A recharge
 * credits the balance in the same transaction; an order payment wakes the
 * purchase waiting for it. Money captured after billing gave up on it (a
 * late success for a cancelled payment) is marked REFUNDING and given back.
 */
@Injectable()
export class PaymentSettlement {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly ledger: LedgerService,
    private readonly sagas: SagasRepository,
    private readonly outbox: Outbox,
  ) {}

  /**
   * The provider's answer to a charge, recorded on the payment sent with it:
   * PROCESSING under the provider's reference (its outcome comes later), or
   * settled at once when the provider decided on the spot.
   */
  async recordCharge(tx: Database, payment: PaymentRow, charge: ProviderCharge, origin: { requestId: string }): Promise<PaymentRow> {
    const sent = (await this.payments.transition(tx, payment.id, ['PENDING'], 'PROCESSING', { providerReference: charge.reference })) ?? payment;
    return charge.status === 'PROCESSING' ? sent : this.settle(tx, sent, charge.status, origin, charge.failureReason);
  }

  async settle(tx: Database, payment: PaymentRow, outcome: SettledOutcome, origin: { requestId: string }, failureReason?: string): Promise<PaymentRow> {
    const now = new Date();
    let moved: PaymentRow | undefined;
    switch (outcome) {
      case 'SUCCEEDED':
        moved = await this.payments.transition(tx, payment.id, OUTSTANDING, 'SUCCEEDED', { succeededAt: now });
        if (moved?.purpose === 'RECHARGE') await this.credit(tx, moved, origin);
        // Captured after it was given up: the customer gets it back (refund sweep).
        moved ??= await this.payments.transition(tx, payment.id, ['CANCELLED', 'FAILED'], 'REFUNDING');
        break;
      case 'FAILED':
        moved = await this.payments.transition(tx, payment.id, OUTSTANDING, 'FAILED', { failureReason: failureReason ?? 'The payment failed' });
        break;
      case 'CANCELLED':
        moved = await this.payments.transition(tx, payment.id, OUTSTANDING, 'CANCELLED', { failureReason: failureReason ?? null });
        break;
      case 'REFUNDED':
        moved = await this.payments.transition(tx, payment.id, ['SUCCEEDED', 'REFUNDING'], 'REFUNDED', { refundedAt: now });
        break;
    }
    if (!moved) return payment;
    if (moved.orderId !== null) {
      await this.announce(tx, moved, origin);
      await this.sagas.wake(tx, moved.orderId);
    }
    return moved;
  }

  private async credit(tx: Database, payment: PaymentRow, origin: { requestId: string }): Promise<void> {
    await this.ledger.post(
      tx,
      {
        userId: payment.userId,
        tenantId: payment.tenantId,
        currency: payment.currency,
        type: 'RECHARGE',
        amountMinor: payment.amountMinor,
        idempotencyKey: `payment:${payment.id}:recharge`,
        referenceType: 'payment',
        referenceId: payment.id,
        description: `Recharge by ${payment.method}`,
      },
      origin,
    );
  }

  /** payment.succeeded / payment.failed for order payments (the catalog's payloads name an order). */
  private async announce(tx: Database, payment: PaymentRow, origin: { requestId: string }): Promise<void> {
    if (payment.orderId === null) return;
    const base = { paymentId: payment.id, orderId: payment.orderId, userId: payment.userId, method: payment.method, amountMinor: payment.amountMinor, currency: payment.currency };
    const scope = { aggregateId: payment.id, tenantId: payment.tenantId, userId: payment.userId };
    if (payment.status === 'SUCCEEDED') await this.outbox.append(tx, { type: 'payment.succeeded', data: base, ...scope }, origin);
    if (payment.status === 'FAILED') await this.outbox.append(tx, { type: 'payment.failed', data: { ...base, reason: payment.failureReason ?? 'The payment failed' }, ...scope }, origin);
  }
}
