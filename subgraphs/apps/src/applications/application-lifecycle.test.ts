import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '@cloudphone/errors';
import { availabilityChange, refusedChange, reviewChange } from './application-lifecycle.js';
import { ApplicationStatus } from './models/application.model.js';

test('approving moves a pending application to APPROVED, with or without a reason', () => {
  assert.deepEqual(reviewChange(true, null), { from: [ApplicationStatus.PENDING_REVIEW], to: ApplicationStatus.APPROVED, reviewReason: null });
  assert.equal(reviewChange(true, '  looks fine ').reviewReason, 'looks fine');
});

test('rejecting moves a pending application to REJECTED and keeps the reason', () => {
  const change = reviewChange(false, ' crashes on start ');
  assert.equal(change.to, ApplicationStatus.REJECTED);
  assert.deepEqual(change.from, [ApplicationStatus.PENDING_REVIEW]);
  assert.equal(change.reviewReason, 'crashes on start');
});

test('rejecting without a reason is BAD_USER_INPUT', () => {
  for (const reason of [null, undefined, '', '   ']) {
    assert.throws(
      () => reviewChange(false, reason),
      (error: unknown) => error instanceof AppError && error.code === 'BAD_USER_INPUT' && error.details['field'] === 'reason',
    );
  }
});

test('an application becomes AVAILABLE from APPROVED or UNAVAILABLE, and UNAVAILABLE only from AVAILABLE', () => {
  assert.deepEqual(availabilityChange(true), { from: [ApplicationStatus.APPROVED, ApplicationStatus.UNAVAILABLE], to: ApplicationStatus.AVAILABLE });
  assert.deepEqual(availabilityChange(false), { from: [ApplicationStatus.AVAILABLE], to: ApplicationStatus.UNAVAILABLE });
});

test('a refused change is BAD_USER_INPUT naming the current state', () => {
  const error = refusedChange(availabilityChange(true), ApplicationStatus.REJECTED);
  assert.equal(error.code, 'BAD_USER_INPUT');
  assert.equal(error.details['status'], 'REJECTED');
  assert.match(error.userMessage, /REJECTED cannot become AVAILABLE/);
});
