/** The position of a row in a sorted list: its sort value and id (the tie-breaker). */
export interface CursorPosition {
  value: string | number;
  id: string;
}

import { AppError } from '@cloudphone/errors';

/** A cursor the client made up, garbled, or took from a differently sorted list. */
export class InvalidCursorError extends AppError {
  constructor() {
    super('BAD_USER_INPUT', '"after" is not a valid cursor', { details: { field: 'after' } });
  }
}

/** Cursors are opaque to clients: base64url of the sort value and id. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.value, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (typeof parsed[0] === 'string' || typeof parsed[0] === 'number') &&
      typeof parsed[1] === 'string'
    ) {
      return { value: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through: any undecodable cursor is the client's mistake
  }
  throw new InvalidCursorError();
}
