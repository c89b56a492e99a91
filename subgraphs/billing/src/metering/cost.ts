/**
 * What a stretch of running time costs, exactly: integer minor units, BigInt
 * arithmetic, no floating point.
 *
 * A "unit" is one millisecond at one minor unit per hour, so one minor unit is
 * HOUR_MS units and running `ms` at `pricePerHourMinor` is `ms x price` units.
 * A run is charged ceil(units / HOUR_MS): rounded up to a whole minor unit,
 * once per run. When the periodic sweep cuts a run into segments, each
 * segment pays only the whole minor units its units make up beyond what the
 * run already paid for (the carry): the segments of a run add up to exactly
 * what the uncut run would cost, never one minor unit more per cut.
 */
export const HOUR_MS = 3_600_000;
const HOUR = BigInt(HOUR_MS);

export interface SegmentCharge {
  /** Whole minor units to charge for this segment. */
  costMinor: number;
  /** Units paid for but not used yet (0 <= carry < HOUR_MS), handed to the run's next segment. */
  carryOutUnits: number;
}

/**
 * The charge of one segment of `billableMs` at `pricePerHourMinor`, given the
 * `carryInUnits` the run's earlier segments already paid for. A run that is
 * not cut costs ceil(billableMs x price / 3_600_000).
 */
export function chargeSegment(billableMs: number, pricePerHourMinor: number, carryInUnits = 0): SegmentCharge {
  for (const [name, value] of [['billableMs', billableMs], ['pricePerHourMinor', pricePerHourMinor], ['carryInUnits', carryInUnits]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative safe integer, got ${value}`);
  }
  if (carryInUnits >= HOUR_MS) throw new RangeError(`carryInUnits must be below ${HOUR_MS}, got ${carryInUnits}`);
  const units = BigInt(billableMs) * BigInt(pricePerHourMinor);
  const carry = BigInt(carryInUnits);
  if (units <= carry) return { costMinor: 0, carryOutUnits: Number(carry - units) };
  const needed = units - carry;
  const cost = (needed + HOUR - 1n) / HOUR;
  const costMinor = Number(cost);
  if (!Number.isSafeInteger(costMinor)) throw new RangeError(`a segment cost of ${cost} minor units is beyond exact integers`);
  return { costMinor, carryOutUnits: Number(cost * HOUR - needed) };
}

/** The price of `ms` of running at `pricePerHourMinor`, rounded up to a whole minor unit (an uncut run). */
export function runCost(ms: number, pricePerHourMinor: number): number {
  return chargeSegment(ms, pricePerHourMinor).costMinor;
}

/** What a debit of `costMinor` against a balance of `balanceMinor` takes, and what stays unpaid (the balance never goes negative). */
export function splitCharge(costMinor: number, balanceMinor: number): { chargedMinor: number; unpaidMinor: number } {
  const chargedMinor = Math.max(0, Math.min(costMinor, balanceMinor));
  return { chargedMinor, unpaidMinor: costMinor - chargedMinor };
}
