/**
 * A figure read at scrape time from something that may be slow or down (a
 * database, the broker): NaN when the read fails or takes longer than
 * `timeoutMs`, so a stuck dependency never hangs a scrape. One read at a
 * time: a scrape that comes during a slow read waits for that one rather
 * than piling another onto a stuck database.
 */
export class ScrapedReading {
  private pending: Promise<number> | undefined;

  constructor(
    private readonly read: () => Promise<number>,
    private readonly timeoutMs: number,
  ) {}

  value(): Promise<number> {
    this.pending ??= this.read()
      .catch(() => Number.NaN)
      .finally(() => {
        this.pending = undefined;
      });
    return within(this.pending, this.timeoutMs);
  }
}

function within(reading: Promise<number>, timeoutMs: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<number>((resolve) => {
    timer = setTimeout(() => resolve(Number.NaN), timeoutMs);
  });
  return Promise.race([reading, timeout]).finally(() => clearTimeout(timer));
}
