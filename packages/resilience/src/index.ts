export * from './redis-follow.js';
import { AppError } from '@cloudphone/errors';
import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleAll,
  handleWhen,
  retry,
  timeout,
  wrap,
  type IPolicy,
} from 'cockatiel';

export interface ServiceCallOptions {
  /** Per-attempt time limit. */
  timeoutMs: number;
  /** Extra attempts for idempotent reads (0 disables retrying). */
  retries: number;
  /** Consecutive failed attempts that open the circuit. */
  breakerThreshold: number;
  /** How long an open circuit fails fast before letting one call probe the service. */
  breakerResetMs: number;
}

export const DEFAULT_SERVICE_CALL_OPTIONS: ServiceCallOptions = {
  timeoutMs: 5_000,
  retries: 2,
  breakerThreshold: 5,
  breakerResetMs: 5_000,
};

/**
 * A transport-level failure of a remote service (refused connection, 5xx,
 * timeout). Application errors inside a 200 response are not failures of the
 * service and must not be thrown as this.
 */
export class ServiceFailure extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'ServiceFailure';
  }
}

export interface CallContext {
  signal: AbortSignal;
}

/**
 * Guards every call to one remote service with a timeout per attempt, a
 * bounded retry with backoff for idempotent calls, and a circuit breaker shared
 * by all calls to that service. Failures come out as SERVICE_UNAVAILABLE
 * errors that name the service.
 */
export class ServiceGuard {
  private readonly readPolicy: IPolicy<CallContext>;
  private readonly writePolicy: IPolicy<CallContext>;
  private readonly breaker;

  constructor(readonly service: string, readonly options: ServiceCallOptions = DEFAULT_SERVICE_CALL_OPTIONS) {
    // Not aborted when the call returns: calls read their whole answer within the attempt, and aborting a
    // finished signal builds a DOMException with its stack for nothing (a measurable cost per subgraph fetch).
    const perAttemptTimeout = timeout(options.timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
    this.breaker = circuitBreaker(handleAll, {
      halfOpenAfter: options.breakerResetMs,
      breaker: new ConsecutiveBreaker(options.breakerThreshold),
    });
    // Retrying into an open circuit only adds latency; retry transport failures only.
    const retryPolicy = retry(
      handleWhen((error) => !(error instanceof BrokenCircuitError)),
      { maxAttempts: options.retries, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1_000 }) },
    );
    this.readPolicy = wrap(retryPolicy, this.breaker, perAttemptTimeout);
    this.writePolicy = wrap(this.breaker, perAttemptTimeout);
  }

  get circuitState(): string {
    return String(this.breaker.state);
  }

  /**
   * Runs `call` under the guard. `idempotent` calls (reads) may be retried;
   * writes never are, since a timed-out write may still have happened.
   */
  async execute<T>(call: (context: CallContext) => Promise<T>, { idempotent }: { idempotent: boolean }): Promise<T> {
    const policy = idempotent ? this.readPolicy : this.writePolicy;
    // A call aborted by the timeout usually rejects with its own AbortError first.
    let lastAttemptTimedOut = false;
    try {
      // A signal of its own: without one, cockatiel links every call to one shared signal, which Node
      // reports as a listener leak once more than ten calls are in flight.
      return await policy.execute(async ({ signal }) => {
        lastAttemptTimedOut = false;
        try {
          return await call({ signal });
        } catch (error) {
          lastAttemptTimedOut = signal.aborted;
          throw error;
        }
      }, new AbortController().signal);
    } catch (error) {
      throw this.toAppError(error, lastAttemptTimedOut);
    }
  }

  private toAppError(error: unknown, timedOut: boolean): unknown {
    if (error instanceof AppError) return error;
    const service = this.service;
    if (error instanceof BrokenCircuitError) {
      return new AppError('SERVICE_UNAVAILABLE', `The ${service} service is unavailable; try again shortly`, {
        service,
        internalMessage: `circuit open for ${service}`,
        cause: error,
      });
    }
    if (error instanceof TaskCancelledError || timedOut) {
      return new AppError('SERVICE_UNAVAILABLE', `The ${service} service did not answer in time`, {
        service,
        internalMessage: `timeout after ${this.options.timeoutMs} ms calling ${service}`,
        cause: error,
      });
    }
    const detail = error instanceof Error ? error.message : String(error);
    return new AppError('SERVICE_UNAVAILABLE', `The ${service} service is unavailable`, {
      service,
      internalMessage: `calling ${service} failed: ${detail}`,
      cause: error,
    });
  }
}
