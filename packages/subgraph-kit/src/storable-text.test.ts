import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nulPath } from './storable-text.js';

test('a NUL character is found at any depth of a variable, and its path named', () => {
  assert.equal(nulPath({ owner: 'ada\u0000' }, ''), '.owner');
  assert.equal(nulPath({ input: { tags: ['ok', 'b\u0000d'] } }, ''), '.input.tags[1]');
  assert.equal(nulPath('\u0000', '$text'), '$text');
});

test('text without a NUL character, numbers, nulls and escapes written out are let through', () => {
  assert.equal(nulPath({ owner: 'ada', first: 20, after: null, note: '\\u0000', nested: [{ deep: ['x'] }] }, ''), undefined);
});
