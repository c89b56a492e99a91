import { badUserInput } from '@cloudphone/errors';

/**
 * The life of an order, free of I/O: which status may follow which, and when
 * a pending order has run out of time. Payments, refunds and sagas build on it.
 *
 *   PENDING -> PAID | CANCELLED | FAILED
 *   PAID    -> REFUNDED
 *   CANCELLED, REFUNDED, FAILED are final.
 */

export const ORDER_STATES = ['PENDING', 'PAID', 'CANCELLED', 'REFUNDED', 'FAILED'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/** How long a new order may wait for its payment. */
export const PAYMENT_WINDOW_MS = 15 * 60 * 1000;

const NEXT: Readonly<Record<OrderState, readonly OrderState[]>> = {
  PENDING: ['PAID', 'CANCELLED', 'FAILED'],
  PAID: ['REFUNDED'],
  CANCELLED: [],
  REFUNDED: [],
  FAILED: [],
};

export function canTransition(from: OrderState, to: OrderState): boolean {
  return NEXT[from].includes(to);
}

/** The states an order may be in to move to `to` (for compare-and-set updates). */
export function statesBefore(to: OrderState): OrderState[] {
  return ORDER_STATES.filter((from) => canTransition(from, to));
}

/** True for states no transition leaves. */
export function isFinal(state: OrderState): boolean {
  return NEXT[state].length === 0;
}

/** Throws BAD_USER_INPUT unless an order in `from` may move to `to`. */
export function assertTransition(from: OrderState, to: OrderState): void {
  if (!canTransition(from, to)) throw badUserInput(`An order that is ${from} cannot become ${to}`, 'status');
}

/** When an order placed at `placedAt` stops being payable (ORDER_PAYMENT_WINDOW_MS, 15 minutes by default). */
export function expiresAtFor(placedAt: Date, windowMs = PAYMENT_WINDOW_MS): Date {
  return new Date(placedAt.getTime() + windowMs);
}

/**
 * A pending order whose payment window has closed. It may still be cancelled,
 * but no payment may be taken for it. Orders in other states never expire.
 */
export function isExpired(order: { status: OrderState; expiresAt: Date }, now: Date): boolean {
  return order.status === 'PENDING' && now.getTime() >= order.expiresAt.getTime();
}
