/** Counts SQL statements sent by one subgraph; tests read it to prove batching. */
export class StatementCounter {
  private count = 0;

  record(): void {
    this.count += 1;
  }

  get total(): number {
    return this.count;
  }

  /** Runs `work` and returns how many statements it sent (with its result). */
  async measure<T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> {
    const before = this.count;
    const result = await work();
    return { result, statements: this.count - before };
  }
}
