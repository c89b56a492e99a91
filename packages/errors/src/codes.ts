/**
 * Every error a client can see carries one of these codes in `extensions.code`.
 * Codes are part of the public contract: add new ones, never rename.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  /** Too many failed logins: the account refuses logins until `lockedUntil`. */
  ACCOUNT_LOCKED: 'ACCOUNT_LOCKED',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  USER_NOT_FOUND: 'USER_NOT_FOUND',
  TENANT_NOT_FOUND: 'TENANT_NOT_FOUND',
  DEVICE_NOT_FOUND: 'DEVICE_NOT_FOUND',
  NODE_NOT_FOUND: 'NODE_NOT_FOUND',
  APPLICATION_NOT_FOUND: 'APPLICATION_NOT_FOUND',
  PLAN_NOT_FOUND: 'PLAN_NOT_FOUND',
  CONFLICT: 'CONFLICT',
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  INSUFFICIENT_BALANCE: 'INSUFFICIENT_BALANCE',
  /** No node has room for the device (placement); may succeed once capacity frees up. */
  INSUFFICIENT_CAPACITY: 'INSUFFICIENT_CAPACITY',
  RATE_LIMITED: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  /** An operation over the gateway's depth, cost or alias limit (HTTP and WebSocket alike). */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** A subscription ended because the gateway loaded a new supergraph: subscribe again. */
  SUPERGRAPH_RELOADED: 'SUPERGRAPH_RELOADED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes whose cause is transient: the same request may succeed later. */
const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set([ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.RATE_LIMITED, ErrorCode.SUPERGRAPH_RELOADED]);

export function isRetryableCode(code: ErrorCode): boolean {
  return RETRYABLE_CODES.has(code);
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ErrorCode, value);
}
