import type { Database } from '@cloudphone/db';
import { AppError } from '@cloudphone/errors';
import type { RowScope } from '@cloudphone/identity';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { z } from 'zod';
import { LedgerService } from '../balances/ledger.service.js';
import { BILLING_SETTINGS, type BillingSettings } from '../config.js';
import type { PaymentRow } from '../database/schema.js';
import { OrdersRepository } from '../orders/orders.repository.js';
import { PAYMENT_PROVIDER, type PaymentProvider } from '../payments/payment-provider.js';
import { PaymentSettlement, providerRefundKey } from '../payments/payment-settlement.js';
import { PaymentsRepository } from '../payments/payments.repository.js';
import { DevicesClient } from '../peers/devices.client.js';
import type { SagaDefinition, StepInput, StepResult } from '../sagas/saga-definition.js';
import { PURCHASE_PLAN } from '../sagas/saga-kinds.js';
import { SagaRunner } from '../sagas/saga-runner.service.js';


const purchaseState = z.object({
  orderId: z.uuid(),
  userId: z.uuid(),
  tenantId: z.uuid().nullable(),
  method: z.enum(['BALANCE', 'CARD', 'ALIPAY', 'WECHAT']),
  /** The provider token; null for BALANCE. */
  paymentToken: z.string().nullable(),
  amountMinor: z.number().int().positive(),
  currency: z.string(),
  /** Chosen when the purchase starts, so every attempt of a step names the same payment and device. */
  paymentId: z.uuid(),
  deviceId: z.uuid(),
  deviceName: z.string(),
  spec: z.object({ cpuCores: z.number().int(), memoryMb: z.number().int(), storageGb: z.number().int() }),
  /** Until when the order may be paid (ISO). */
  expiresAt: z.iso.datetime(),
  /** Set while undoing: whether the device was ever created (an order must not name a device that never existed). */
  deviceCreated: z.boolean().optional(),
  requestId: z.string(),
});
export type PurchaseState = z.infer<typeof purchaseState>;

/** The first step of a purchase paid this way. */
export function firstStep(method: PurchaseState['method']): string {
  return method === 'BALANCE' ? 'chargeBalance' : 'requestPayment';
}

/** The key the order's payment is stored and sent to the provider with. */
export const paymentKey = (orderId: string) => `order:${orderId}:payment`;

/** Refusals from the devices subgraph that no retry changes: the purchase is undone. */
const FINAL_DEVICE_REFUSALS: ReadonlySet<string> = new Set(['QUOTA_EXCEEDED', 'INSUFFICIENT_CAPACITY', 'USER_NOT_FOUND', 'BAD_USER_INPUT', 'DEVICE_NOT_FOUND', 'NOT_FOUND']);
/** How often an awaited device or payment is looked at when nothing wakes the saga sooner. */
const POLL_MS = 1_000;
/** A payment silent for this long is asked about at the provider (its callback may be lost). */
const CALLBACK_GRACE_MS = 5_000;
const ALL: RowScope = { kind: 'ALL' };

/**
 * Buying a plan (DOMAIN.md, sagas):
 *
 *   chargeBalance | requestPayment -> awaitPayment -> createDevice -> awaitDevice -> complete
 *   undone by:                        deleteDevice -> refund -> closeOrder
 *
 * Local steps commit their effect with the saga's progress in one
 * transaction; steps that call the provider or the devices subgraph call
 * first with keys chosen up front (payment key, device id), so a step run
 * again after a crash finds its first effect. Payment refusals end the
 * order FAILED; anything undone after the money was taken ends CANCELLED
 * with the payment REFUNDED.
 */
@Injectable()
export class PurchasePlanSaga implements SagaDefinition<PurchaseState>, OnModuleInit {
  readonly kind = PURCHASE_PLAN;
  readonly steps: SagaDefinition<PurchaseState>['steps'] = {
    chargeBalance: (input) => this.chargeBalance(input),
    requestPayment: (input) => this.requestPayment(input),
    awaitPayment: (input) => this.awaitPayment(input),
    createDevice: (input) => this.createDevice(input),
    awaitDevice: (input) => this.awaitDevice(input),
    complete: (input) => this.complete(input),
    deleteDevice: (input) => this.deleteDevice(input),
    refund: (input) => this.refund(input),
    closeOrder: (input) => this.closeOrder(input),
  };

  constructor(
    private readonly runner: SagaRunner,
    private readonly orders: OrdersRepository,
    private readonly payments: PaymentsRepository,
    private readonly settlement: PaymentSettlement,
    private readonly ledger: LedgerService,
    private readonly devices: DevicesClient,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(BILLING_SETTINGS) private readonly settings: BillingSettings,
  ) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  parseState(value: unknown): PurchaseState {
    return purchaseState.parse(value);
  }

  /** Debits the balance and records the payment in one transaction; not enough balance fails the payment and the order. */
  private chargeBalance({ state, commit }: StepInput<PurchaseState>): Promise<StepResult<PurchaseState>> {
    return commit(async (tx) => {
      const payment = await this.payments.insertOnce(tx, this.newPayment(state, null));
      const posted = await this.ledger.post(
        tx,
        {
          userId: state.userId,
          tenantId: state.tenantId,
          currency: state.currency,
          type: 'CONSUME',
          amountMinor: -state.amountMinor,
          idempotencyKey: `order:${state.orderId}:charge`,
          referenceType: 'order',
          referenceId: state.orderId,
          description: `Plan purchase, order ${state.orderId}`,
        },
        state,
      );
      if (posted.kind === 'insufficient') {
        await this.settlement.settle(tx, payment, 'FAILED', state, 'INSUFFICIENT_BALANCE: the balance does not cover the order');
        return { kind: 'compensate', step: 'closeOrder', reason: 'INSUFFICIENT_BALANCE: the balance does not cover the order' };
      }
      await this.settlement.settle(tx, payment, 'SUCCEEDED', state);
      await this.orders.setDevice(tx, state.orderId, state.deviceId, state.deviceName);
      return { kind: 'next', step: 'createDevice' };
    });
  }

  /** Records the payment, then asks the provider to charge under the payment's key (a repeat returns the same charge). */
  private async requestPayment({ state, commit }: StepInput<PurchaseState>): Promise<StepResult<PurchaseState>> {
    const recorded = await this.paymentOf(state);
    if (recorded && recorded.status !== 'PENDING') return { kind: 'next', step: 'awaitPayment' };
    const charge = await this.provider.charge({
      idempotencyKey: paymentKey(state.orderId),
      amountMinor: state.amountMinor,
      currency: state.currency,
      token: state.paymentToken ?? '',
      description: `Plan purchase, order ${state.orderId}`,
    });
    return commit(async (tx) => {
      const payment = await this.payments.insertOnce(tx, this.newPayment(state, this.provider.name));
      // Settled on the spot or not, awaitPayment reads the outcome from the payment.
      await this.settlement.recordCharge(tx, payment, charge, state);
      return { kind: 'next', step: 'awaitPayment' };
    });
  }

  /**
   * Waits for the provider's verdict (a callback wakes the saga). A silent
   * payment is asked about; one still open when the order expires is voided
   * at the provider, which may answer that it was captured first.
   */
  private async awaitPayment({ state, commit }: StepInput<PurchaseState>): Promise<StepResult<PurchaseState>> {
    const payment = await this.requirePayment(state);
    const decided = this.afterPayment(payment);
    if (decided) return decided.kind === 'next' ? commit(async (tx) => this.paid(tx, state, decided)) : decided;
    const reference = payment.providerReference;
    if (reference === null) return { kind: 'next', step: 'requestPayment' };
    const expired = Date.now() >= Date.parse(state.expiresAt);
    const silentFor = Date.now() - payment.updatedAt.getTime();
    // Until a callback wakes the saga, look again soon, and at the latest when the order expires.
    const wait: StepResult<PurchaseState> = { kind: 'wait', ms: Math.min(POLL_MS * 2, Math.max(0, Date.parse(state.expiresAt) - Date.now())) };
    if (!expired && silentFor < CALLBACK_GRACE_MS) return wait;
    const answer = expired ? await this.provider.cancel(reference) : await this.provider.status(reference);
    const outcome = answer.status;
    if (outcome === 'PROCESSING') return wait;
    return commit(async (tx) => {
      const settled = await this.settlement.settle(tx, payment, outcome, state, outcome === 'CANCELLED' ? 'EXPIRED: not paid within the payment window' : answer.failureReason);
      const next = this.afterPayment(settled);
      if (!next) throw new Error(`payment ${payment.id} is still ${settled.status} after the provider answered ${answer.status}`);
      return next.kind === 'next' ? this.paid(tx, state, next) : next;
    });
  }

  /** Where a purchase goes once its payment is decided; undefined while it is not. */
  private afterPayment(payment: PaymentRow): StepResult<PurchaseState> | undefined {
    switch (payment.status) {
      case 'SUCCEEDED':
        return { kind: 'next', step: 'createDevice' };
      case 'FAILED':
        return { kind: 'compensate', step: 'closeOrder', reason: `PAYMENT_FAILED: ${payment.failureReason ?? 'the payment failed'}` };
      case 'CANCELLED':
        return { kind: 'compensate', step: 'closeOrder', reason: payment.failureReason ?? 'EXPIRED: not paid within the payment window' };
      case 'REFUNDING':
      case 'REFUNDED':
        return { kind: 'compensate', step: 'refund', reason: 'PAYMENT_REVERSED: the payment was given back' };
      default:
        return undefined;
    }
  }

  /** The money is in: the order names the device being created, so clients can follow it. */
  private async paid(tx: Database, state: PurchaseState, next: StepResult<PurchaseState>): Promise<StepResult<PurchaseState>> {
    await this.orders.setDevice(tx, state.orderId, state.deviceId, state.deviceName);
    return next;
  }

  private async createDevice({ state, createdAt }: StepInput<PurchaseState>): Promise<StepResult<PurchaseState>> {
    try {
      await this.devices.createOrdered(
        { id: state.deviceId, userId: state.userId, orderId: state.orderId, name: state.deviceName, ...state.spec },
        state.requestId,
      );
      return { kind: 'next', step: 'awaitDevice' };
    } catch (error) {
      if (error instanceof AppError && FINAL_DEVICE_REFUSALS.has(error.code)) return { kind: 'compensate', step: 'deleteDevice', reason: `${error.code}: ${error.message}` };
      if (this.deviceTimedOut(createdAt)) return { kind: 'compensate', step: 'deleteDevice', reason: 'DEVICE_UNAVAILABLE: the device could not be created in time' };
      throw error;
    }
  }

  /** Waits for the new phone to come up (device.status.changed wakes the saga); one that fails or never comes up is undone. */
  private async awaitDevice({ state, createdAt }: StepInput<PurchaseState>): Promise<StepResult<PurchaseState>> {
    const status = await this.devices.statusOf(state.deviceId, state.requestId);
    switch (status) {
      case 'RUNNING':
      case 'STOPPED':
        return { kind: 'next', step: 'complete' };
      case 'ERROR':
      case 'DELETED':
      case null:
        return { kind: 'compensate', step: 'deleteDevice', reason: `DEVICE_FAILED: the device ${status === null ? 'was not created' : `is ${status}`}` };
      case 'CREATING':
        if (this.deviceTimedOut(createdAt)) return { kind: 'compensate', step: 'deleteDevice', reason: 'DEVICE_FAILED: the device did not start in time' };
        return { kind: 'wait', ms: POLL_MS };
    }
  }

  private complete({ state, commit }: StepInput<PurchaseState>): Promise<StepResult<PurchaseState>> {
    return commit(async (tx) => {
      await this.orders.transitionIn(tx, state.orderId, ['PENDING'], 'PAID', ALL, state, { paidAt: new Date(), deviceId: state.deviceId, deviceName: state.deviceName, statusReason: null });
      return { kind: 'finish' };
    });
  }

  /** Undoes createDevice, whether or not it happened (the devices subgraph answers a repeat or an unknown id alike). */
  private async deleteDevice({ state }: StepInput<PurchaseState>): Promise<StepResult<PurchaseState>> {
    const payment = await this.paymentOf(state);
    // createDevice runs only after the payment succeeded: without that, there is no device to undo.
    const requested = payment !== undefined && ['SUCCEEDED', 'REFUNDING', 'REFUNDED'].includes(payment.status);
    const deviceCreated = requested && (await this.devices.deleteOrdered(state.deviceId, state.requestId));
    return { kind: 'next', step: 'refund', state: { ...state, deviceCreated } };
  }

  /** Gives the money back: a REFUND ledger entry for the balance, a keyed refund at the provider otherwise. */
  private async refund({ state, commit }: StepInput<PurchaseState>): Promise<StepResult<PurchaseState>> {
    const payment = await this.paymentOf(state);
    if (!payment || !['SUCCEEDED', 'REFUNDING'].includes(payment.status)) {
      // Still open at the provider while undoing: void it first (it may turn out captured, then it is refunded on the next run).
      if (payment?.providerReference && ['PENDING', 'PROCESSING'].includes(payment.status)) {
        const answer = await this.provider.cancel(payment.providerReference);
        return commit(async (tx) => {
          await this.settlement.settle(tx, payment, answer.status === 'PROCESSING' ? 'CANCELLED' : answer.status, state, 'CANCELLED: the purchase was undone');
          return { kind: 'wait', ms: 0 };
        });
      }
      return { kind: 'next', step: 'closeOrder' };
    }
    if (payment.method === 'BALANCE') {
      return commit(async (tx) => {
        await this.ledger.post(
          tx,
          {
            userId: state.userId,
            tenantId: state.tenantId,
            currency: state.currency,
            type: 'REFUND',
            amountMinor: state.amountMinor,
            idempotencyKey: `order:${state.orderId}:refund`,
            referenceType: 'order',
            referenceId: state.orderId,
            description: `Refund of order ${state.orderId}`,
          },
          state,
        );
        await this.settlement.settle(tx, payment, 'REFUNDED', state);
        return { kind: 'next', step: 'closeOrder' };
      });
    }
    if (payment.providerReference === null) throw new Error(`payment ${payment.id} succeeded without a provider reference`);
    await this.provider.refund(payment.providerReference, providerRefundKey(payment.id));
    return commit(async (tx) => {
      await this.settlement.settle(tx, payment, 'REFUNDED', state);
      return { kind: 'next', step: 'closeOrder' };
    });
  }

  /** The order ends FAILED when its payment was refused, CANCELLED otherwise, with the reason. */
  private closeOrder({ state, commit, failureReason }: StepInput<PurchaseState>): Promise<StepResult<PurchaseState>> {
    const reason = failureReason ?? 'CANCELLED';
    const to = reason.startsWith('PAYMENT_FAILED') || reason.startsWith('INSUFFICIENT_BALANCE') ? 'FAILED' : 'CANCELLED';
    return commit(async (tx) => {
      // The order named the device once the money was in; one that was never created is not named.
      const forgetDevice = state.deviceCreated === false ? { deviceId: null, deviceName: null } : {};
      await this.orders.transitionIn(tx, state.orderId, ['PENDING'], to, ALL, state, { statusReason: reason, ...forgetDevice });
      return { kind: 'finish' };
    });
  }

  private newPayment(state: PurchaseState, provider: string | null) {
    return {
      id: state.paymentId,
      purpose: 'ORDER' as const,
      orderId: state.orderId,
      userId: state.userId,
      tenantId: state.tenantId,
      method: state.method,
      amountMinor: state.amountMinor,
      currency: state.currency,
      idempotencyKey: paymentKey(state.orderId),
      provider,
    };
  }

  /** The order's payment, if recorded yet. */
  private paymentOf(state: PurchaseState): Promise<PaymentRow | undefined> {
    return this.payments.findByKey(paymentKey(state.orderId));
  }

  private async requirePayment(state: PurchaseState): Promise<PaymentRow> {
    const payment = await this.paymentOf(state);
    if (!payment) throw new Error(`purchase of order ${state.orderId} awaits a payment that was never recorded`);
    return payment;
  }

  private deviceTimedOut(createdAt: Date): boolean {
    return Date.now() - createdAt.getTime() > this.settings.sagaDeviceTimeoutMs;
  }
}
