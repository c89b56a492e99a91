import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '@cloudphone/errors';
import { ORDER_STATES, PAYMENT_WINDOW_MS, assertTransition, canTransition, expiresAtFor, isExpired, isFinal, statesBefore } from './order-transitions.js';

const STATES = ORDER_STATES;
const ALLOWED = new Set(['PENDING->PAID', 'PENDING->CANCELLED', 'PENDING->FAILED', 'PAID->REFUNDED']);

test('only the documented transitions are allowed', () => {
  for (const from of STATES) {
    for (const to of STATES) assert.equal(canTransition(from, to), ALLOWED.has(`${from}->${to}`), `${from} -> ${to}`);
  }
});

test('cancelled, refunded and failed orders are final', () => {
  assert.deepEqual(
    STATES.filter((state) => isFinal(state)),
    ['CANCELLED', 'REFUNDED', 'FAILED'],
  );
});

test('only pending orders lead to paid, cancelled or failed; only paid ones to refunded', () => {
  assert.deepEqual(statesBefore('CANCELLED'), ['PENDING']);
  assert.deepEqual(statesBefore('PAID'), ['PENDING']);
  assert.deepEqual(statesBefore('FAILED'), ['PENDING']);
  assert.deepEqual(statesBefore('REFUNDED'), ['PAID']);
  assert.deepEqual(statesBefore('PENDING'), []);
});

test('a pending order can be cancelled', () => {
  assert.doesNotThrow(() => assertTransition('PENDING', 'CANCELLED'));
});

test('cancelling an order that is not pending is bad input', () => {
  for (const from of ['PAID', 'CANCELLED', 'REFUNDED', 'FAILED'] as const) {
    assert.throws(
      () => assertTransition(from, 'CANCELLED'),
      (error: unknown) => error instanceof AppError && error.code === 'BAD_USER_INPUT',
    );
  }
});

test('a paid order cannot be paid again, only refunded', () => {
  assert.equal(canTransition('PAID', 'PAID'), false);
  assert.equal(canTransition('PAID', 'REFUNDED'), true);
});

test('a new order expires fifteen minutes after it is placed', () => {
  const placed = new Date('2030-01-01T10:00:00.000Z');
  assert.equal(PAYMENT_WINDOW_MS, 900_000);
  assert.equal(expiresAtFor(placed).toISOString(), '2030-01-01T10:15:00.000Z');
});

test('a pending order is expired from its expiry instant on', () => {
  const order = { status: 'PENDING' as const, expiresAt: new Date('2030-01-01T10:15:00.000Z') };
  assert.equal(isExpired(order, new Date('2030-01-01T10:14:59.999Z')), false);
  assert.equal(isExpired(order, new Date('2030-01-01T10:15:00.000Z')), true);
  assert.equal(isExpired(order, new Date('2030-01-02T00:00:00.000Z')), true);
});

test('orders that are not pending never count as expired', () => {
  const expiresAt = new Date('2030-01-01T10:15:00.000Z');
  const later = new Date('2031-01-01T00:00:00.000Z');
  for (const status of ['PAID', 'CANCELLED', 'REFUNDED', 'FAILED'] as const) assert.equal(isExpired({ status, expiresAt }, later), false);
});

test('an expired pending order may still be cancelled', () => {
  const order = { status: 'PENDING' as const, expiresAt: new Date('2030-01-01T10:15:00.000Z') };
  assert.equal(isExpired(order, new Date('2030-01-01T11:00:00.000Z')), true);
  assert.equal(canTransition(order.status, 'CANCELLED'), true);
});
