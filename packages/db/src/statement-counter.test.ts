import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatementCounter } from './statement-counter.js';

test('statements are counted always, and kept with their params only while recording', () => {
  const counter = new StatementCounter();
  counter.record('select 1', []);
  assert.throws(() => counter.recordedStatements(), /not being recorded/);
  counter.recordStatements(true);
  counter.record('select $1', [7]);
  assert.deepEqual(counter.recordedStatements(), [{ sql: 'select $1', params: [7] }]);
  counter.recordStatements(false);
  counter.record('select 2', []);
  assert.equal(counter.total, 3);
  counter.recordStatements(true);
  assert.deepEqual(counter.recordedStatements(), [], 'a new recording starts empty');
});

test('a recording past its bound refuses to answer rather than answer with part of the statements', () => {
  const counter = new StatementCounter();
  counter.recordStatements(true);
  for (let index = 0; index <= StatementCounter.RECORDING_LIMIT; index += 1) counter.record('select 1', []);
  assert.throws(() => counter.recordedStatements(), /were not recorded/);
});
