import assert from 'node:assert/strict';
import { test } from 'node:test';
import { monthOf, periodLabel, previousMonth } from './period.js';

test('periods are UTC calendar months, end exclusive', () => {
  const march = monthOf(new Date('2025-03-31T23:59:59.999Z'));
  assert.deepEqual([march.start.toISOString(), march.end.toISOString()], ['2025-03-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z']);
  assert.equal(monthOf(new Date('2025-04-01T00:00:00.000Z')).start.toISOString(), '2025-04-01T00:00:00.000Z');
  assert.equal(monthOf(new Date('2024-12-15T00:00:00Z')).end.toISOString(), '2025-01-01T00:00:00.000Z', 'across a year');
  assert.equal(previousMonth(new Date('2025-01-10T00:00:00Z')).start.toISOString(), '2024-12-01T00:00:00.000Z');
  assert.equal(periodLabel(march.start), '2025-03');
});
