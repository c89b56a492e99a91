import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { timestampColumn } from './columns.js';
import { CopyEncoder } from './copy.js';

const things = pgTable('things', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  note: text('note'),
  version: integer('version').notNull().default(1),
  labels: jsonb('labels').$type<Record<string, string>>().notNull().default({}),
  seenAt: timestampColumn('seen_at').notNull().default(sql`now()`),
});

test('a copy lists the columns the rows give and those without a default, and encodes values as drizzle binds them', () => {
  const rows = [
    { id: '00000000-0000-4000-8000-000000000001', name: 'tab\there\\ and\nnewline', labels: { gpu: 'true' }, seenAt: new Date('2026-01-02T03:04:05.678Z') },
    { id: '00000000-0000-4000-8000-000000000002', name: 'plain', note: null, labels: {}, seenAt: new Date(0) },
  ];
  const encoder = new CopyEncoder(things, rows);
  assert.equal(encoder.tableName, 'things');
  // version has a default and no row gives it: the database fills it in.
  assert.deepEqual(encoder.columnNames, ['id', 'name', 'note', 'labels', 'seen_at']);
  assert.equal(
    encoder.encode(rows),
    '00000000-0000-4000-8000-000000000001\ttab\\there\\\\ and\\nnewline\t\\N\t{"gpu":"true"}\t2026-01-02T03:04:05.678Z\n' +
      '00000000-0000-4000-8000-000000000002\tplain\t\\N\t{}\t1970-01-01T00:00:00.000Z\n',
  );
});

test('a later row may leave out a listed column only where a constant default or NULL stands for it', () => {
  const encoder = new CopyEncoder(things, [{ id: '00000000-0000-4000-8000-000000000001', name: 'a', version: 3, seenAt: new Date(0) }]);
  assert.equal(encoder.encode([{ id: '00000000-0000-4000-8000-000000000002', name: 'b', seenAt: new Date(0) }]), '00000000-0000-4000-8000-000000000002\tb\t\\N\t1\t1970-01-01T00:00:00.000Z\n');
  assert.throws(() => encoder.encode([{ id: '00000000-0000-4000-8000-000000000003', name: 'c' }]), /seen_at: a row without a value needs the database default/);
  assert.throws(() => encoder.encode([{ id: '00000000-0000-4000-8000-000000000004', name: 'd', seenAt: new Date(0), labels: {} }]), /lists no column for labels/);
  assert.throws(() => new CopyEncoder(things, [{ id: 'x', name: 'e', colour: 'red' }]), /no column for the seed key colour/);
});
