import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cursorFits } from './pagination.js';

const ID = '6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5';

test('a timestamp cursor needs an ISO date and a uuid', () => {
  assert.equal(cursorFits('timestamp', { value: '2030-01-01T10:00:00.000Z', id: ID }), true);
  assert.equal(cursorFits('timestamp', { value: 'alice', id: ID }), false);
  assert.equal(cursorFits('timestamp', { value: 1990, id: ID }), false);
  assert.equal(cursorFits('timestamp', { value: '2030-01-01T10:00:00.000Z', id: 'not-a-uuid' }), false);
});

test('a number cursor needs a finite number', () => {
  assert.equal(cursorFits('number', { value: 1990, id: ID }), true);
  assert.equal(cursorFits('number', { value: '1990', id: ID }), false);
});

test('a text cursor needs a string', () => {
  assert.equal(cursorFits('text', { value: 'Alice', id: ID }), true);
  assert.equal(cursorFits('text', { value: 3, id: ID }), false);
});
