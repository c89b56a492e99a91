import { REQUEST_ID_HEADER, requestIdFrom } from '@cloudphone/errors';
import type { ErrorRequestHandler } from 'express';

/** What body-parser puts on its errors. */
interface BodyParserError {
  type?: string;
  status?: number;
}

/**
 * A body the JSON parser refused (malformed, or over MAX_BODY_BYTES) gets the
 * same coded GraphQL error shape as any other bad request, not express's
 * HTML page: 400 or 413, BAD_USER_INPUT, with the request id; `onRefused`
 * hears the code.
 */
export function bodyErrors(maxBodyBytes: number, onRefused: (code: string) => void): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    const { type, status } = (error ?? {}) as BodyParserError;
    const message = type === 'entity.too.large' ? `The request body is over ${maxBodyBytes} bytes` : type === 'entity.parse.failed' ? 'The request body is not valid JSON' : undefined;
    if (message === undefined || response.headersSent) {
      next(error);
      return;
    }
    const requestId = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
    onRefused('BAD_USER_INPUT');
    response
      .status(status ?? 400)
      .set(REQUEST_ID_HEADER, requestId)
      .json({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT', service: 'gateway', retryable: false, requestId } }] });
  };
}
