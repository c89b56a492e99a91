import { type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('@cloudphone/db');

/** One span per statement, a child of the active span (the request's): the SQL text, never its parameters. */
function statementSpan(sql: string): Span {
  return tracer.startSpan('db.query', { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.statement': sql } });
}

function settle(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}

type Then = (onFulfilled?: (value: unknown) => unknown, onRejected?: (reason: unknown) => unknown) => PromiseLike<unknown>;

/**
 * Ends `span` when `query` settles. postgres.js sends a query only once it
 * is awaited (and drizzle calls `.values()` on it first), so its `then` is
 * wrapped on the instance rather than awaited here: awaiting would send it.
 */
function endWhenSettled<T extends PromiseLike<unknown>>(query: T, span: Span): T {
  const then = (query.then as Then).bind(query);
  let ended = false;
  const end = (error?: unknown) => {
    if (ended) return;
    ended = true;
    settle(span, error);
  };
  const traced: Then = (onFulfilled, onRejected) =>
    then(
      (value) => {
        end();
        return onFulfilled ? onFulfilled(value) : value;
      },
      (reason) => {
        end(reason);
        if (onRejected) return onRejected(reason);
        throw reason;
      },
    );
  Object.defineProperty(query, 'then', { value: traced, configurable: true, writable: true });
  return query;
}

type Callable = (...args: unknown[]) => unknown;

/**
 * A proxy over a client whose `statement` methods (the ones drizzle sends SQL
 * through) are timed in spans and whose `transaction` methods hand their
 * callback a client traced the same way; everything else passes through,
 * bound to the client (PGlite keeps private fields a proxy cannot reach).
 */
function traced<T extends object>(client: T, methods: { statement: readonly string[]; transaction: readonly string[] }, timed: (result: unknown, span: Span) => unknown): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = (value as Callable).bind(target);
      if (typeof property !== 'string') return method;
      if (methods.statement.includes(property)) {
        // Work outside any request (seeding, periodic sweeps) has no span to hang statements under: not traced.
        return (sql: unknown, ...rest: unknown[]) => (trace.getActiveSpan() === undefined ? method(sql, ...rest) : timed(method(sql, ...rest), statementSpan(String(sql))));
      }
      if (methods.transaction.includes(property)) {
        // The callback comes last (postgres.js's `begin` may take options first).
        return (...args: unknown[]) => {
          const callback = args.at(-1);
          if (typeof callback !== 'function') return method(...args);
          return method(...args.slice(0, -1), (transactionClient: object) => (callback as Callable)(traced(transactionClient, methods, timed)));
        };
      }
      return method;
    },
  });
}

/** postgres.js as drizzle's postgres-js session uses it: `unsafe` per statement, `begin`/`savepoint` for transactions. */
export function tracedPostgresClient<T extends object>(client: T): T {
  return traced(client, { statement: ['unsafe'], transaction: ['begin', 'savepoint'] }, (query, span) => endWhenSettled(query as PromiseLike<unknown>, span));
}

/** PGlite as drizzle's pglite session uses it: `query` per statement, `transaction` for transactions. */
export function tracedPgliteClient<T extends object>(client: T): T {
  return traced(client, { statement: ['query'], transaction: ['transaction'] }, (result, span) =>
    (result as Promise<unknown>).then(
      (value) => {
        settle(span);
        return value;
      },
      (error: unknown) => {
        settle(span, error);
        throw error;
      },
    ),
  );
}
