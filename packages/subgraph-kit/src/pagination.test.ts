import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '@cloudphone/errors';
import { encodeCursor } from '@cloudphone/db';
import { MAX_PAGE_SIZE, toConnection, toPageRequest } from './pagination.js';

function badInput(run: () => unknown, field: string): void {
  assert.throws(run, (error: unknown) => error instanceof AppError && error.code === 'BAD_USER_INPUT' && error.details['field'] === field);
}

test('page sizes outside 1..100 are BAD_USER_INPUT on `first`', () => {
  for (const first of [0, -1, MAX_PAGE_SIZE + 1, 1.5]) badInput(() => toPageRequest({ first }), 'first');
  assert.equal(toPageRequest({ first: MAX_PAGE_SIZE }).limit, MAX_PAGE_SIZE);
  assert.equal(toPageRequest({}).limit, 20);
});

test('an unreadable cursor is BAD_USER_INPUT on `after`', () => {
  badInput(() => toPageRequest({ after: 'nope' }), 'after');
  assert.deepEqual(toPageRequest({ after: encodeCursor({ value: 'a', id: 'b' }) }).after, { value: 'a', id: 'b' });
});

test('a connection carries edges, cursors and page info', () => {
  const request = toPageRequest({ first: 2, after: encodeCursor({ value: 0, id: 'z' }) });
  const connection = toConnection({ rows: [1, 2], hasNextPage: true, totalCount: 7 }, request, (row) => `c${row}`, (row) => ({ n: row }));
  assert.deepEqual(connection, {
    edges: [
      { cursor: 'c1', node: { n: 1 } },
      { cursor: 'c2', node: { n: 2 } },
    ],
    totalCount: 7,
    pageInfo: { hasNextPage: true, hasPreviousPage: true, startCursor: 'c1', endCursor: 'c2' },
  });
});
