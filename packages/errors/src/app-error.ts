import { type ErrorCode, isRetryableCode } from './codes.js';

export interface AppErrorOptions {
  /** What operators need to know; logged, never sent to a client. */
  internalMessage?: string;
  /** Overrides the code's default (SERVICE_UNAVAILABLE and RATE_LIMITED are retryable). */
  retryable?: boolean;
  /** Extra user-safe fields merged into `extensions` (e.g. `field`, `limit`). */
  details?: Record<string, string | number | boolean | null>;
  /** The service the failure belongs to, when it is not the one reporting it. */
  service?: string;
  cause?: unknown;
}

/**
 * The one error type of the platform: a code, a user-safe message, and an
 * internal message that stays in the logs.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  readonly internalMessage: string;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
  readonly service: string | undefined;

  constructor(code: ErrorCode, userMessage: string, options: AppErrorOptions = {}) {
    super(options.internalMessage ?? userMessage, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.userMessage = userMessage;
    this.internalMessage = options.internalMessage ?? userMessage;
    this.retryable = options.retryable ?? isRetryableCode(code);
    this.details = options.details ?? {};
    this.service = options.service;
  }
}

export function badUserInput(message: string, field?: string): AppError {
  return new AppError('BAD_USER_INPUT', message, field === undefined ? {} : { details: { field } });
}

export function notFound(code: ErrorCode, message: string): AppError {
  return new AppError(code, message);
}
