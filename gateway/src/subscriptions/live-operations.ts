import type { GraphQLError } from 'graphql';
import type { ExecutionResult } from 'graphql-ws';

type Results = AsyncIterator<ExecutionResult> & AsyncIterable<ExecutionResult>;

/**
 * The subscriptions open on this server, each of which can be ended from
 * outside (when the supergraph changes) with a final result carrying the
 * error, after which its stream completes: the client hears why, then
 * `complete`, and subscribes again. Ending or returning a subscription
 * returns its source, so nothing of it stays behind.
 */
export class LiveOperations {
  private readonly open = new Set<(error: GraphQLError) => void>();

  /** Subscriptions open now. */
  get size(): number {
    return this.open.size;
  }

  endAll(error: GraphQLError): void {
    for (const end of [...this.open]) end(error);
  }

  track(source: Results): Results & { end(error: GraphQLError): void } {
    let state: { kind: 'open' } | { kind: 'ending'; error: GraphQLError } | { kind: 'done' } = { kind: 'open' };
    let interrupt: (error: GraphQLError) => void = () => undefined;
    const interrupted = new Promise<GraphQLError>((resolve) => {
      interrupt = resolve;
    });
    const finish = async (): Promise<void> => {
      if (state.kind === 'done') return;
      state = { kind: 'done' };
      this.open.delete(end);
      await source.return?.();
    };
    const end = (error: GraphQLError): void => {
      if (state.kind !== 'open') return;
      state = { kind: 'ending', error };
      interrupt(error);
    };
    const finalResult = async (error: GraphQLError): Promise<IteratorResult<ExecutionResult>> => {
      await finish();
      return { done: false, value: { data: null, errors: [error] } };
    };
    this.open.add(end);
    return {
      next: async () => {
        if (state.kind === 'done') return { done: true, value: undefined };
        if (state.kind === 'ending') return finalResult(state.error);
        const pending = source.next();
        // An interrupted wait is abandoned: its late failure must not go unhandled.
        pending.catch(() => undefined);
        const first = await Promise.race([pending.then((result) => ({ result })), interrupted.then((error) => ({ error }))]);
        if ('error' in first) return finalResult(first.error);
        if (first.result.done) await finish();
        return first.result;
      },
      return: async () => {
        await finish();
        return { done: true, value: undefined };
      },
      throw: async (error: unknown) => {
        await finish();
        throw error;
      },
      end,
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}
