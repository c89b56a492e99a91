import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidCursorError, decodeCursor, encodeCursor } from './cursor.js';

test('a cursor round-trips its sort value and id', () => {
  const position = { value: '2026-01-01T00:00:00.123Z', id: '6f1c1d2e-0000-4000-8000-000000000001' };
  assert.deepEqual(decodeCursor(encodeCursor(position)), position);
  assert.deepEqual(decodeCursor(encodeCursor({ value: 42, id: 'x' })), { value: 42, id: 'x' });
});

test('garbage, wrong shapes and tampered cursors are refused', () => {
  for (const cursor of ['', 'garbage', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[1]').toString('base64url'), Buffer.from('[{},"x"]').toString('base64url')]) {
    assert.throws(() => decodeCursor(cursor), InvalidCursorError, cursor);
  }
});
