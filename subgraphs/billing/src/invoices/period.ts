/** Invoice periods are calendar months in UTC. */
export interface InvoicePeriod {
  /** First instant of the month (inclusive). */
  start: Date;
  /** First instant of the next month (exclusive). */
  end: Date;
}

/** The UTC calendar month `at` falls in. */
export function monthOf(at: Date): InvoicePeriod {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return { start, end };
}

/** The month before the one `at` falls in. */
export function previousMonth(at: Date): InvoicePeriod {
  return monthOf(new Date(monthOf(at).start.getTime() - 1));
}

/** "2025-03" for the period starting 2025-03-01T00:00Z. */
export function periodLabel(start: Date): string {
  return start.toISOString().slice(0, 7);
}
