/** One SQL statement as a subgraph sent it: its text and bound parameters. */
export interface RecordedStatement {
  sql: string;
  params: unknown[];
}

/**
 * Counts SQL statements sent by one subgraph; tests read it to prove batching.
 * It can also keep the statements themselves between two points (tests EXPLAIN
 * them); recording is off unless asked for, and bounded, so production keeps
 * nothing.
 */
export class StatementCounter {
  private count = 0;
  private recorded: RecordedStatement[] | undefined;
  private dropped = 0;

  /** At most this many statements are kept per recording; later ones are only counted as dropped. */
  static readonly RECORDING_LIMIT = 10_000;

  record(sql?: string, params?: readonly unknown[]): void {
    this.count += 1;
    if (this.recorded === undefined || sql === undefined) return;
    if (this.recorded.length >= StatementCounter.RECORDING_LIMIT) this.dropped += 1;
    else this.recorded.push({ sql, params: [...(params ?? [])] });
  }

  get total(): number {
    return this.count;
  }

  /** Starts keeping statements (from none), or stops and forgets them. */
  recordStatements(on: boolean): void {
    this.recorded = on ? [] : undefined;
    this.dropped = 0;
  }

  /** The statements kept since recording started; throws when some did not fit, so a check never passes on a partial list. */
  recordedStatements(): RecordedStatement[] {
    if (this.recorded === undefined) throw new Error('statements are not being recorded');
    if (this.dropped > 0) throw new Error(`${this.dropped} statements past the first ${StatementCounter.RECORDING_LIMIT} were not recorded`);
    return [...this.recorded];
  }

  /** Runs `work` and returns how many statements it sent (with its result). */
  async measure<T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> {
    const before = this.count;
    const result = await work();
    return { result, statements: this.count - before };
  }
}
