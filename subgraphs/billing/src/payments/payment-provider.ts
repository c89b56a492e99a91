/**
 * An external payment provider (card acquirer, Alipay, WeChat Pay) as
 * billing sees it. Every call is keyed by billing's idempotency key, so a
 * call repeated after a crash returns the first call's answer instead of
 * charging again. Outcomes arrive later through signed callbacks; `status`
 * asks directly when a callback is late.
 */
export type ProviderPaymentStatus = 'PROCESSING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export interface ProviderCharge {
  reference: string;
  status: ProviderPaymentStatus;
  failureReason?: string | undefined;
}

export interface ChargeRequest {
  idempotencyKey: string;
  amountMinor: number;
  currency: string;
  /** The customer's payment token from the client (card token, wallet authorisation). */
  token: string;
  description: string;
}

/** A verified callback: the provider says what became of a payment or refund. */
export interface ProviderEvent {
  /** The provider's id of this event; a redelivery carries the same id. */
  eventId: string;
  reference: string;
  outcome: 'SUCCEEDED' | 'FAILED' | 'REFUNDED';
  amountMinor: number;
  currency: string;
  failureReason?: string | undefined;
}

export type CallbackVerdict = { valid: true; event: ProviderEvent } | { valid: false; reason: string };

export interface PaymentProvider {
  /** The provider's name, stored with each payment (payments are unique per provider and reference). */
  readonly name: string;
  charge(request: ChargeRequest): Promise<ProviderCharge>;
  status(reference: string): Promise<ProviderCharge>;
  /** Voids a charge not yet captured; answers the charge as it ends up (SUCCEEDED if it was captured first). */
  cancel(reference: string): Promise<ProviderCharge>;
  /** Gives the money of a captured charge back; keyed, so repeating it refunds once. */
  refund(reference: string, idempotencyKey: string): Promise<{ status: 'REFUNDED' }>;
  /** Checks a callback's signature and freshness before anything is read from it. */
  verifyCallback(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): CallbackVerdict;
}

/** Nest token of the PaymentProvider external methods go through. */
export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');
