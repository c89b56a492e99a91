import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY_MS, coveredMs, mergeIntervals, prepaidPeriods } from './coverage.js';

const at = (iso: string) => new Date(iso).getTime();

test('a paid order covers periodDays from when it was paid', () => {
  assert.deepEqual(prepaidPeriods([{ paidAt: new Date('2025-01-10T00:00:00Z'), periodDays: 30 }]), [{ start: at('2025-01-10T00:00:00Z'), end: at('2025-02-09T00:00:00Z') }]);
});

test('running time is covered where it overlaps a prepaid period, and only there', () => {
  const periods = [{ start: 100, end: 200 }];
  assert.equal(coveredMs({ start: 0, end: 50 }, periods), 0, 'before');
  assert.equal(coveredMs({ start: 120, end: 180 }, periods), 60, 'inside');
  assert.equal(coveredMs({ start: 50, end: 150 }, periods), 50, 'starts before');
  assert.equal(coveredMs({ start: 150, end: 250 }, periods), 50, 'ends after');
  assert.equal(coveredMs({ start: 0, end: 300 }, periods), 100, 'around');
  assert.equal(coveredMs({ start: 200, end: 300 }, periods), 0, 'the end is exclusive');
});

test('overlapping orders cover their union once; gaps between them are not covered', () => {
  const periods = [
    { start: 0, end: 100 },
    { start: 50, end: 150 },
    { start: 300, end: 400 },
    { start: 150, end: 160 },
  ];
  assert.deepEqual(mergeIntervals(periods), [
    { start: 0, end: 160 },
    { start: 300, end: 400 },
  ]);
  assert.equal(coveredMs({ start: 0, end: 1000 }, periods), 260);
  assert.equal(coveredMs({ start: 100, end: 350 }, periods), 60 + 50);
});

test('a month-long run with a 30-day plan bought halfway is charged only outside the plan', () => {
  const run = { start: at('2025-01-01T00:00:00Z'), end: at('2025-03-01T00:00:00Z') };
  const periods = prepaidPeriods([{ paidAt: new Date('2025-01-16T00:00:00Z'), periodDays: 30 }]);
  assert.equal(coveredMs(run, periods), 30 * DAY_MS);
});
