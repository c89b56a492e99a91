import assert from 'node:assert/strict';
import { test } from 'node:test';
import { delayToNextCut } from '../jobs/billing-jobs.service.js';
import { sweepCutoff } from './cutoff.js';

const FIFTEEN_MINUTES = 900_000;

test('the cut-off is the latest interval boundary at least the grace old, the same on every replica', () => {
  const now = new Date('2025-03-10T10:20:30Z');
  assert.equal(sweepCutoff(now, FIFTEEN_MINUTES, 60_000).toISOString(), '2025-03-10T10:15:00.000Z');
  assert.equal(sweepCutoff(new Date('2025-03-10T10:15:59Z'), FIFTEEN_MINUTES, 60_000).toISOString(), '2025-03-10T10:00:00.000Z', 'within the grace: the boundary before');
  assert.equal(sweepCutoff(new Date('2025-03-10T10:16:00Z'), FIFTEEN_MINUTES, 60_000).toISOString(), '2025-03-10T10:15:00.000Z');
});

test('an interval that divides a day cuts at every UTC midnight (invoice months do not straddle)', () => {
  assert.equal(sweepCutoff(new Date('2025-04-01T00:01:00Z'), FIFTEEN_MINUTES, 60_000).toISOString(), '2025-04-01T00:00:00.000Z');
});

test('the jobs wake at the next boundary plus the grace', () => {
  const now = new Date('2025-03-10T10:20:30Z').getTime();
  assert.equal(delayToNextCut(now, FIFTEEN_MINUTES, 60_000), new Date('2025-03-10T10:31:00Z').getTime() - now);
  const justAfter = new Date('2025-03-10T10:31:00Z').getTime();
  assert.equal(delayToNextCut(justAfter, FIFTEEN_MINUTES, 60_000), FIFTEEN_MINUTES);
});
