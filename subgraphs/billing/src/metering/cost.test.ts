import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HOUR_MS, chargeSegment, runCost, splitCharge } from './cost.js';

test('a run costs ms x price per hour / 3,600,000, rounded up to a whole minor unit', () => {
  assert.equal(runCost(HOUR_MS, 12), 12, 'one hour at 12 is 12');
  assert.equal(runCost(0, 12), 0);
  assert.equal(runCost(1, 12), 1, 'one millisecond is charged one minor unit');
  assert.equal(runCost(300_000, 12), 1, '5 minutes at 12/h is exactly 1');
  assert.equal(runCost(300_001, 12), 2, 'a millisecond more rounds up');
  assert.equal(runCost(90 * 60_000, 45), 68, '1.5 h at 45/h = 67.5 -> 68');
  assert.equal(runCost(HOUR_MS, 0), 0, 'a free rule charges nothing');
});

test('exact on amounts floating point would get wrong', () => {
  // 0.1 h at 3/h is 0.3: (0.1 * 3) in floating point is 0.30000000000000004, and ceil of a float near a whole number is fragile.
  assert.equal(runCost(360_000 * 7, 3), 3, '0.7 h at 3/h = 2.1 -> 3');
  assert.equal(runCost(1_200_000 * 3, 1), 1, 'exactly one hour at 1/h is 1, not 2');
  // A year of running at a large price stays exact (beyond 2^53 in units, computed in BigInt).
  const year = 365 * 24 * HOUR_MS;
  assert.equal(runCost(year, 9_000_000), 365 * 24 * 9_000_000);
});

test('cutting a run into segments charges exactly what the uncut run costs', () => {
  const price = 7;
  const cuts = [1, 299_999, 17, 900_000, 123_456, 3_600_000, 1, 0, 555_555];
  let carry = 0;
  let charged = 0;
  for (const ms of cuts) {
    const segment = chargeSegment(ms, price, carry);
    assert.ok(segment.carryOutUnits >= 0 && segment.carryOutUnits < HOUR_MS);
    charged += segment.costMinor;
    carry = segment.carryOutUnits;
  }
  assert.equal(charged, runCost(cuts.reduce((sum, ms) => sum + ms, 0), price));
});

test('a segment inside what the run already paid for costs nothing and uses up the carry', () => {
  const first = chargeSegment(1, 12);
  assert.deepEqual(first, { costMinor: 1, carryOutUnits: HOUR_MS - 12 });
  const second = chargeSegment(1000, 12, first.carryOutUnits);
  assert.deepEqual(second, { costMinor: 0, carryOutUnits: HOUR_MS - 12 - 12_000 });
});

test('bad inputs are refused, not rounded', () => {
  assert.throws(() => chargeSegment(-1, 12), RangeError);
  assert.throws(() => chargeSegment(1.5, 12), RangeError);
  assert.throws(() => chargeSegment(1, 12, HOUR_MS), RangeError);
});

test('a charge the balance cannot cover takes what is there and leaves the rest unpaid', () => {
  assert.deepEqual(splitCharge(30, 100), { chargedMinor: 30, unpaidMinor: 0 });
  assert.deepEqual(splitCharge(30, 12), { chargedMinor: 12, unpaidMinor: 18 });
  assert.deepEqual(splitCharge(30, 0), { chargedMinor: 0, unpaidMinor: 30 });
});
