/**
 * The cut-off the sweep charges running devices up to: the latest multiple of
 * `intervalMs` (counted from the epoch, so every replica picks the same one)
 * that is at least `graceMs` old, so a status change from before it has had
 * time to arrive first. An interval that divides a day puts a cut-off on
 * every UTC midnight, so segments do not straddle invoice months.
 */
export function sweepCutoff(now: Date, intervalMs: number, graceMs: number): Date {
  if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) throw new RangeError(`intervalMs must be a positive integer, got ${intervalMs}`);
  const latest = now.getTime() - graceMs;
  return new Date(Math.floor(latest / intervalMs) * intervalMs);
}
