import type { CursorPosition, KeysetSort, PageRequest } from '@cloudphone/db';
import { badUserInput } from '@cloudphone/errors';
import { isId } from '@cloudphone/subgraph-kit';

/**
 * Whether a decoded cursor can belong to a list sorted by `kind`. Cursors do
 * not name their sort, so a cursor of another list (or a forged one) would
 * otherwise reach SQL as an invalid uuid or date.
 */
export function cursorFits(kind: KeysetSort['kind'], position: CursorPosition): boolean {
  if (!isId(position.id)) return false;
  switch (kind) {
    case 'timestamp':
      return typeof position.value === 'string' && !Number.isNaN(Date.parse(position.value));
    case 'number':
      return typeof position.value === 'number' && Number.isFinite(position.value);
    case 'text':
      return typeof position.value === 'string';
  }
}

/** Returns the request when its cursor fits the sort; a cursor that cannot is BAD_USER_INPUT on `after`. */
export function checkCursor(sort: KeysetSort, request: PageRequest): PageRequest {
  if (request.after !== undefined && !cursorFits(sort.kind, request.after)) throw badUserInput('"after" is not a cursor of this list', 'after');
  return request;
}
