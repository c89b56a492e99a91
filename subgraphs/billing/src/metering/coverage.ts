/**
 * Prepaid time: a device bought with a plan runs at no hourly cost for the
 * plan's period. A PAID order for the device covers [paidAt, paidAt +
 * periodDays); several orders cover the union of their periods.
 */
export const DAY_MS = 86_400_000;

export interface Interval {
  /** Epoch milliseconds, inclusive. */
  start: number;
  /** Epoch milliseconds, exclusive. */
  end: number;
}

export interface PaidPlanOrder {
  paidAt: Date;
  periodDays: number;
}

/** The periods paid orders cover. */
export function prepaidPeriods(orders: readonly PaidPlanOrder[]): Interval[] {
  return orders.map((order) => ({ start: order.paidAt.getTime(), end: order.paidAt.getTime() + order.periodDays * DAY_MS }));
}

/** Merges overlapping or touching intervals; drops empty ones; sorted by start. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((interval) => interval.end > interval.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

/** Milliseconds of `span` inside any of `periods` (overlaps counted once). */
export function coveredMs(span: Interval, periods: readonly Interval[]): number {
  let covered = 0;
  for (const period of mergeIntervals(periods)) {
    const start = Math.max(span.start, period.start);
    const end = Math.min(span.end, period.end);
    if (end > start) covered += end - start;
  }
  return covered;
}
