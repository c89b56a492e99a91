import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError } from './app-error.js';
import { ErrorCode, isErrorCode, isRetryableCode } from './codes.js';

export type ErrorLogger = (entry: { service: string; message: string; stack?: string | undefined; cause?: unknown; requestId?: string | undefined }) => void;

/**
 * Error codes produced by the GraphQL engine itself (parse, validation,
 * variable coercion). They are user errors and keep their own code.
 */
const ENGINE_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'BAD_REQUEST',
]);

/** Whether the formatter keeps `code` as it is (the platform's codes and the engine's own): any other is an unexpected failure. */
export function isPublicErrorCode(code: unknown): code is string {
  return typeof code === 'string' && (ENGINE_CODES.has(code) || isErrorCode(code));
}

// Apollo's formatError sees no request: the request id plugin notes the request
// of each error just before it is formatted, so an unexpected one is logged with it.
const requestIdOfError = new WeakMap<object, string>();

/** Notes that `errors` belong to request `requestId`, for the log line of any unexpected one among them. */
export function noteRequestId(errors: readonly unknown[], requestId: string): void {
  for (const error of errors) {
    if (typeof error === 'object' && error !== null) requestIdOfError.set(error, requestId);
  }
}

function findAppError(error: unknown): AppError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth += 1) {
    if (current instanceof AppError) return current;
    if (current instanceof GraphQLError) current = current.originalError;
    else if (current instanceof Error) current = current.cause;
    else return undefined;
  }
  return undefined;
}

/**
 * Builds an Apollo Server `formatError` that turns any error into the public
 * shape: `extensions.code`, `service`, `retryable`. Unknown errors are logged
 * with their internal detail and surface as INTERNAL_ERROR.
 */
export function createErrorFormatter(service: string, log: ErrorLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const appError = findAppError(error);
    if (appError) {
      return {
        message: appError.userMessage,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: {
          ...appError.details,
          code: appError.code,
          service: appError.service ?? service,
          retryable: appError.retryable,
        },
      };
    }
    const extensions = formatted.extensions ?? {};
    const code = extensions['code'];
    // A subgraph's error relayed by the gateway names its service in `serviceName`.
    const origin = typeof extensions['service'] === 'string' ? extensions['service'] : typeof extensions['serviceName'] === 'string' ? extensions['serviceName'] : service;
    if (isPublicErrorCode(code)) {
      const publicCode = code === 'BAD_REQUEST' ? ErrorCode.BAD_USER_INPUT : code;
      // `response`: what @apollo/gateway attaches to a subgraph's non-2xx answer (its status and body), internal detail.
      const { stacktrace: _stacktrace, exception: _exception, serviceName: _serviceName, response: _response, ...safe } = extensions;
      return {
        ...formatted,
        extensions: {
          ...safe,
          code: publicCode,
          service: origin,
          retryable: typeof safe['retryable'] === 'boolean' ? safe['retryable'] : isErrorCode(publicCode) && isRetryableCode(publicCode),
        },
      };
    }
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    log({
      service: origin,
      message: original instanceof Error ? original.message : String(original),
      stack: original instanceof Error ? original.stack : undefined,
      requestId: typeof error === 'object' && error !== null ? requestIdOfError.get(error) : undefined,
    });
    return {
      message: 'Internal server error',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_ERROR, service: origin, retryable: false },
    };
  };
}

/**
 * Adds the request id to every error of a response; applied last, by a plugin.
 * An id a subgraph already stamped is kept: it is the same id, forwarded to it.
 */
export function withRequestId(errors: readonly GraphQLFormattedError[], requestId: string): GraphQLFormattedError[] {
  return errors.map((error) =>
    typeof error.extensions?.['requestId'] === 'string' ? error : { ...error, extensions: { ...error.extensions, requestId } },
  );
}
