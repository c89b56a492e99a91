import type { Database, SubgraphDatabase } from '@cloudphone/db';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { type NewPaymentRow, type PaymentRow, paymentCallbacks, payments } from '../database/schema.js';

export type PaymentStatusValue = PaymentRow['status'];
type PaymentChanges = Pick<Partial<NewPaymentRow>, 'providerReference' | 'provider' | 'failureReason' | 'succeededAt' | 'refundedAt'>;

@Injectable()
export class PaymentsRepository {
  constructor(@Inject(DATABASE) private readonly database: SubgraphDatabase) {}

  /** Inserts a payment unless one with its idempotency key exists; either way returns the payment of that key. */
  async insertOnce(tx: Database, row: NewPaymentRow): Promise<PaymentRow> {
    await tx.insert(payments).values(row).onConflictDoNothing({ target: payments.idempotencyKey });
    const [payment] = await tx.select().from(payments).where(eq(payments.idempotencyKey, row.idempotencyKey));
    if (!payment) throw new Error(`payment ${row.idempotencyKey} vanished after its insert`);
    return payment;
  }

  async findByKey(idempotencyKey: string): Promise<PaymentRow | undefined> {
    const [row] = await this.database.db.select().from(payments).where(eq(payments.idempotencyKey, idempotencyKey));
    return row;
  }

  async findByIds(ids: readonly string[]): Promise<PaymentRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(payments).where(inArray(payments.id, [...ids]));
  }

  /** Locks and returns the payment a provider reference names. */
  async lockByReference(tx: Database, provider: string, reference: string): Promise<PaymentRow | undefined> {
    const [row] = await tx
      .select()
      .from(payments)
      .where(and(eq(payments.provider, provider), eq(payments.providerReference, reference)))
      .for('update');
    return row;
  }

  /** The payments of each order, oldest first, in one statement. */
  async findByOrderIds(orderIds: readonly string[]): Promise<PaymentRow[]> {
    if (orderIds.length === 0) return [];
    return this.database.db
      .select()
      .from(payments)
      .where(inArray(payments.orderId, [...orderIds]))
      .orderBy(asc(payments.createdAt), asc(payments.id));
  }

  /** Payments whose refund was decided but not yet done at the provider. */
  async findRefunding(limit: number): Promise<PaymentRow[]> {
    return this.database.db.select().from(payments).where(eq(payments.status, 'REFUNDING')).orderBy(asc(payments.updatedAt)).limit(limit);
  }

  /** Compare and set: moves a payment to `to` only from one of `from`; undefined when it was elsewhere. */
  async transition(tx: Database, id: string, from: readonly PaymentStatusValue[], to: PaymentStatusValue, changes: PaymentChanges = {}): Promise<PaymentRow | undefined> {
    const [row] = await tx
      .update(payments)
      .set({ ...changes, status: to, updatedAt: new Date() })
      .where(and(eq(payments.id, id), inArray(payments.status, [...from])))
      .returning();
    return row;
  }

  /** Records a provider callback by its event id; false when that event was recorded before (a redelivery). */
  async recordCallback(tx: Database, provider: string, eventId: string, paymentId: string, outcome: string): Promise<boolean> {
    const inserted = await tx.insert(paymentCallbacks).values({ provider, eventId, paymentId, outcome }).onConflictDoNothing().returning({ eventId: paymentCallbacks.eventId });
    return inserted.length === 1;
  }
}
