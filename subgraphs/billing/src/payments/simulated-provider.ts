import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { CallbackVerdict, ChargeRequest, PaymentProvider, ProviderCharge, ProviderEvent } from './payment-provider.js';

/**
 * A stand-in for a real payment provider, for development and tests. It
 * behaves like one where billing can tell: charges are keyed, outcomes come
 * back later as signed HTTP callbacks (retried until answered 2xx), and a
 * late callback can be replaced by asking `status`.
 *
 * The outcome is chosen by the test token, as real providers' sandboxes do:
 *   tok_ok       captured; a SUCCEEDED callback follows
 *   tok_declined declined; a FAILED callback follows
 *   tok_pending  never settles by itself (the customer never confirms); cancel voids it
 *   tok_late     like tok_pending, but captured anyway after `lateDelayMs` (a capture
 *                racing the void): the SUCCEEDED callback comes after billing gave up
 * Anything else is refused at once (FAILED, no callback).
 *
 * Its state is the reference itself (outcome + a digest of the idempotency
 * key), so a repeated charge returns the same reference and a restarted
 * billing process can still ask about it. What it keeps in memory (voided
 * references, callbacks due) is lost with the process: a real provider keeps
 * those, and billing does not depend on them (it records what it was told).
 */

export const SIMULATED_PROVIDER = 'simulated';
export const SIGNATURE_HEADER = 'x-simulated-signature';
/** Callbacks older or newer than this are refused (replay protection). */
const SIGNATURE_TOLERANCE_SECONDS = 300;
const DELIVERY_ATTEMPTS = 6;

const OUTCOMES = { tok_ok: 'ok', tok_declined: 'declined', tok_pending: 'pending', tok_late: 'late' } as const;
type Outcome = (typeof OUTCOMES)[keyof typeof OUTCOMES];

const REFERENCE = /^sim_(ok|declined|pending|late)_[0-9a-f]{24}$/;

const eventSchema = z.object({
  eventId: z.string().min(1).max(200),
  reference: z.string().regex(REFERENCE),
  outcome: z.enum(['SUCCEEDED', 'FAILED', 'REFUNDED']),
  amountMinor: z.number().int().positive(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  failureReason: z.string().max(500).optional(),
});

/** The signature header value for a callback body: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export function signSimulatedCallback(secret: string, body: string, nowMs = Date.now()): string {
  const timestamp = Math.floor(nowMs / 1000);
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

/** Verifies a signed callback and reads its event; anything unsigned, stale or malformed is refused. */
export function verifySimulatedCallback(secret: string, rawBody: Buffer, header: string | string[] | undefined, nowMs = Date.now()): CallbackVerdict {
  if (typeof header !== 'string') return { valid: false, reason: `missing ${SIGNATURE_HEADER} header` };
  const parts = Object.fromEntries(header.split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  const timestamp = Number(parts['t']);
  const given = parts['v1'];
  if (!Number.isInteger(timestamp) || typeof given !== 'string' || !/^[0-9a-f]{64}$/.test(given)) return { valid: false, reason: 'malformed signature header' };
  if (Math.abs(nowMs / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return { valid: false, reason: 'signature timestamp outside the tolerance' };
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) return { valid: false, reason: 'signature does not match' };
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { valid: false, reason: 'body is not JSON' };
  }
  const parsed = eventSchema.safeParse(json);
  return parsed.success ? { valid: true, event: parsed.data } : { valid: false, reason: 'body is not a payment event' };
}

function outcomeOf(reference: string): Outcome | undefined {
  return REFERENCE.exec(reference)?.[1] as Outcome | undefined;
}

export interface SimulatedProviderOptions {
  secret: string;
  /** Where callbacks go; asked for each delivery (the server's port is known only once it listens). */
  callbackUrl: () => string | undefined;
  delayMs: number;
  /** When a tok_late payment is captured after all. */
  lateDelayMs: number;
  onDeliveryError?: (error: Error) => void;
}

export class SimulatedPaymentProvider implements PaymentProvider {
  readonly name = SIMULATED_PROVIDER;
  private readonly voided = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: SimulatedProviderOptions) {}

  async charge(request: ChargeRequest): Promise<ProviderCharge> {
    const outcome = (OUTCOMES as Record<string, Outcome | undefined>)[request.token];
    if (outcome === undefined) return { reference: this.referenceFor('declined', request.idempotencyKey), status: 'FAILED', failureReason: 'The payment token was not accepted' };
    const reference = this.referenceFor(outcome, request.idempotencyKey);
    if (outcome !== 'pending') {
      const event: ProviderEvent = {
        eventId: `evt_${createHash('sha256').update(`${reference}:charge`).digest('hex').slice(0, 24)}`,
        reference,
        outcome: outcome === 'declined' ? 'FAILED' : 'SUCCEEDED',
        amountMinor: request.amountMinor,
        currency: request.currency,
        ...(outcome === 'declined' ? { failureReason: 'The card was declined' } : {}),
      };
      this.deliver(event, 1, outcome === 'late' ? this.options.lateDelayMs : this.options.delayMs);
    }
    return { reference, status: 'PROCESSING' };
  }

  async status(reference: string): Promise<ProviderCharge> {
    switch (outcomeOf(reference)) {
      case 'ok':
        return { reference, status: 'SUCCEEDED' };
      case 'declined':
        return { reference, status: 'FAILED', failureReason: 'The card was declined' };
      case 'pending':
      case 'late':
        return { reference, status: this.voided.has(reference) ? 'CANCELLED' : 'PROCESSING' };
      default:
        throw new Error(`unknown simulated payment reference ${reference}`);
    }
  }

  async cancel(reference: string): Promise<ProviderCharge> {
    const outcome = outcomeOf(reference);
    if (outcome === 'pending' || outcome === 'late') this.voided.add(reference);
    return this.status(reference);
  }

  async refund(reference: string): Promise<{ status: 'REFUNDED' }> {
    const outcome = outcomeOf(reference);
    if (outcome !== 'ok' && outcome !== 'late') throw new Error(`simulated payment ${reference} was never captured, so it cannot be refunded`);
    return { status: 'REFUNDED' };
  }

  verifyCallback(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): CallbackVerdict {
    return verifySimulatedCallback(this.options.secret, rawBody, headers[SIGNATURE_HEADER]);
  }

  /** Stops delivering callbacks (module shutdown). */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private referenceFor(outcome: Outcome, idempotencyKey: string): string {
    return `sim_${outcome}_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 24)}`;
  }

  /** Posts a callback, retrying with backoff until it is answered 2xx, as providers do. */
  private deliver(event: ProviderEvent, attempt: number, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.post(event).then(
        (delivered) => {
          if (!delivered && attempt < DELIVERY_ATTEMPTS) this.deliver(event, attempt + 1, Math.max(delayMs, 100) * 2);
        },
        (error: unknown) => {
          this.options.onDeliveryError?.(error as Error);
          if (attempt < DELIVERY_ATTEMPTS) this.deliver(event, attempt + 1, Math.max(delayMs, 100) * 2);
        },
      );
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private async post(event: ProviderEvent): Promise<boolean> {
    const url = this.options.callbackUrl();
    if (url === undefined) return false;
    const body = JSON.stringify(event);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signSimulatedCallback(this.options.secret, body) },
      body,
      signal: AbortSignal.timeout(5_000),
    });
    return response.ok;
  }
}
