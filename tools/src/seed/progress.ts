/** Where progress goes: a terminal gets one line redrawn in place, anything else plain lines now and then. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

const WIDTH = 28;
const REDRAW_MS = 100;
const PLAIN_EVERY_MS = 10_000;

const number = new Intl.NumberFormat('en-US');

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/**
 * A progress bar of `total` units (users generated): rows written, their rate
 * and the time left. On a TTY a single line redrawn at most every 100 ms; on
 * anything else (CI logs, a file) a line every 10 s and at each tenth.
 */
export class ProgressBar {
  private readonly started = Date.now();
  private lastDrawn = 0;
  private lastTenth = -1;

  constructor(
    private readonly out: ProgressOutput,
    private readonly total: number,
    private readonly unit: string,
  ) {}

  update(done: number, rows: number): void {
    const now = Date.now();
    const tenth = Math.floor((done / Math.max(1, this.total)) * 10);
    if (this.out.isTTY) {
      if (now - this.lastDrawn < REDRAW_MS && done < this.total) return;
      this.lastDrawn = now;
      this.out.write(`\r\x1b[K${this.line(done, rows, now)}`);
      return;
    }
    if (tenth === this.lastTenth && now - this.lastDrawn < PLAIN_EVERY_MS) return;
    this.lastTenth = tenth;
    this.lastDrawn = now;
    this.out.write(`${this.line(done, rows, now)}\n`);
  }

  /** Ends the bar's line (a TTY's cursor moves to the next one). */
  done(): void {
    if (this.out.isTTY) this.out.write('\n');
  }

  private line(done: number, rows: number, now: number): string {
    const fraction = Math.min(1, done / Math.max(1, this.total));
    const filled = Math.round(fraction * WIDTH);
    const elapsed = now - this.started;
    const rate = elapsed > 0 ? (rows * 1000) / elapsed : 0;
    const left = fraction > 0 && fraction < 1 ? ` · ${duration((elapsed / fraction) * (1 - fraction))} left` : '';
    const bar = this.out.isTTY ? `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ` : '';
    return `${bar}${String(Math.round(fraction * 100)).padStart(3)}% ${number.format(done)}/${number.format(this.total)} ${this.unit} · ${number.format(rows)} rows · ${number.format(Math.round(rate))} rows/s${left}`;
  }
}

export { duration as formatDuration, number as numberFormat };
