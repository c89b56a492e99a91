import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PgDialect, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { InvalidCursorError } from './cursor.js';
import { type KeysetSort, afterCursor } from './keyset.js';

const items = pgTable('items', { id: uuid('id').primaryKey(), name: text('name').notNull(), createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull() });
const byName: KeysetSort = { column: items.name, id: items.id, direction: 'ASC', kind: 'text' };
const newestFirst: KeysetSort = { column: items.createdAt, id: items.id, direction: 'DESC', kind: 'timestamp' };
const ID = '6f1c1d2e-0000-4000-8000-000000000001';
const dialect = new PgDialect();

test('after a cursor means strictly after its (value, id) in the sort direction', () => {
  const ascending = afterCursor(byName, { value: 'm', id: ID });
  assert.ok(ascending);
  const query = dialect.sqlToQuery(ascending);
  assert.equal(query.sql, '("items"."name", "items"."id") > ($1, $2)');
  assert.deepEqual(query.params, ['m', ID]);
  const descending = afterCursor(newestFirst, { value: '2026-01-01T00:00:00.000Z', id: ID });
  assert.ok(descending);
  assert.match(dialect.sqlToQuery(descending).sql, /\) < \(\$1, \$2\)$/);
  assert.equal(afterCursor(byName, undefined), undefined);
});

test('a cursor of another list or a forged one is refused before it reaches SQL', () => {
  for (const [sort, position] of [
    [newestFirst, { value: 'not a date', id: ID }],
    [newestFirst, { value: 12, id: ID }],
    [byName, { value: 12, id: ID }],
    [byName, { value: 'm', id: "1' or '1'='1" }],
  ] as const) {
    assert.throws(() => afterCursor(sort, position), InvalidCursorError);
  }
});
