import { isPublicErrorCode } from '@cloudphone/errors';

/**
 * Label values come from a fixed set: a label taken from the client (an
 * operation name, an unknown error code) would let any client create series
 * without bound.
 */
export type OperationType = 'query' | 'mutation' | 'subscription' | 'unknown';
export const OPERATION_TYPES: readonly OperationType[] = ['query', 'mutation', 'subscription', 'unknown'];

export type Outcome = 'success' | 'error';
export const OUTCOMES: readonly Outcome[] = ['success', 'error'];

/** What the series of a code that is not the platform's or the engine's is labelled. */
export const OTHER_ERROR_CODE = 'OTHER';

/** The operation's type; `unknown` when none was resolved (a parse or validation failure). */
export function operationTypeLabel(operation: string | undefined): OperationType {
  return operation === 'query' || operation === 'mutation' || operation === 'subscription' ? operation : 'unknown';
}

/** An error's `extensions.code` when it is a known one, else OTHER. */
export function errorCodeLabel(code: unknown): string {
  return isPublicErrorCode(code) ? code : OTHER_ERROR_CODE;
}
