/**
 * Background work a subgraph repeats on every replica (sweeps, closings):
 * one run at a time (a run still going when the next is due is not
 * doubled), the next scheduled only when the last one ends, and stop()
 * waits for the run in progress. Timers are unref'd: they never keep a
 * process alive on their own.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  /**
   * @param run the work; a failure goes to `onError` and the next run comes as scheduled
   * @param nextDelayMs how long after a run ends (or from start) the next one begins
   */
  constructor(
    private readonly run: () => Promise<void>,
    private readonly nextDelayMs: () => number,
    private readonly onError: (error: Error) => void,
  ) {}

  start(firstDelayMs = this.nextDelayMs()): void {
    this.stopped = false;
    this.schedule(firstDelayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.run()
        .catch((error: unknown) => this.onError(error instanceof Error ? error : new Error(String(error))))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.nextDelayMs());
        });
    }, delayMs);
    this.timer.unref();
  }
}
