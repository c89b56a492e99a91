/**
 * Fans live values out to subscribers as async iterators. A slow subscriber
 * never costs unbounded memory: while it lags, only the latest value per key
 * waits (a newer status of a device replaces the older one), and at most
 * `maxPending` keys wait at all (the oldest are dropped first).
 */
export class LiveStream<T> {
  private readonly listeners = new Set<(value: T) => void>();
  // Each subscriber's waiting values, so that what waits can be counted.
  private readonly pendings = new Set<Map<string, T>>();

  publish(value: T): void {
    for (const listener of this.listeners) listener(value);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  /** Values published and not yet read, over all subscribers. */
  get pendingCount(): number {
    let count = 0;
    for (const pending of this.pendings) count += pending.size;
    return count;
  }

  subscribe(filter: (value: T) => boolean, keyOf: (value: T) => string, maxPending = 100): AsyncIterableIterator<T> {
    const pending = new Map<string, T>();
    let wake: ((result: IteratorResult<T>) => void) | undefined;
    let done = false;
    const listener = (value: T): void => {
      if (done || !filter(value)) return;
      if (wake) {
        const resolve = wake;
        wake = undefined;
        resolve({ value, done: false });
        return;
      }
      const key = keyOf(value);
      pending.delete(key);
      pending.set(key, value);
      if (pending.size > maxPending) pending.delete(pending.keys().next().value as string);
    };
    this.listeners.add(listener);
    this.pendings.add(pending);
    const finish = (): Promise<IteratorResult<T>> => {
      done = true;
      this.listeners.delete(listener);
      this.pendings.delete(pending);
      pending.clear();
      wake?.({ value: undefined, done: true });
      wake = undefined;
      return Promise.resolve({ value: undefined, done: true });
    };
    return {
      next: () => {
        if (done) return Promise.resolve({ value: undefined, done: true });
        const first = pending.entries().next();
        if (!first.done) {
          const [key, value] = first.value;
          pending.delete(key);
          return Promise.resolve({ value, done: false });
        }
        return new Promise((resolve) => {
          wake = resolve;
        });
      },
      return: finish,
      throw: (error: unknown) => {
        void finish();
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}
