/** An async iterator of `map(value)` for each value of `source`; ending one ends the other. */
export function mapAsyncIterator<T, U>(source: AsyncIterableIterator<T>, map: (value: T) => Promise<U | undefined>): AsyncIterableIterator<U> {
  const next = async (): Promise<IteratorResult<U>> => {
    for (;;) {
      const result = await source.next();
      if (result.done) return { value: undefined, done: true };
      const mapped = await map(result.value);
      // A value that maps to nothing (e.g. its entity is gone) is skipped.
      if (mapped !== undefined) return { value: mapped, done: false };
    }
  };
  return {
    next,
    return: async () => {
      await source.return?.();
      return { value: undefined, done: true };
    },
    throw: async (error: unknown) => {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
