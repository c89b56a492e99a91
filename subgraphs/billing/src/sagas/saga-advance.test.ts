import assert from 'node:assert/strict';
import { test } from 'node:test';
import { advanceFor, backoffMs } from './saga-runner.service.js';

const running = { status: 'RUNNING' as const, step: 'createDevice', state: { a: 1 }, failureReason: null };
const NOW = 1_700_000_000_000;

test('a step going on keeps the saga running at the next step, due at once, its state replaced only when given', () => {
  assert.deepEqual(advanceFor(running, { kind: 'next', step: 'awaitDevice' }, NOW), { status: 'RUNNING', step: 'awaitDevice', state: { a: 1 }, wakeAt: new Date(NOW), lastError: null });
  assert.deepEqual(advanceFor(running, { kind: 'next', step: 'awaitDevice', state: { a: 2 } }, NOW).state, { a: 2 });
});

test('a waiting step stays where it is, due after its wait', () => {
  const waiting = advanceFor(running, { kind: 'wait', ms: 1_500 }, NOW);
  assert.equal(waiting.step, 'createDevice');
  assert.equal(waiting.status, 'RUNNING');
  assert.equal(waiting.wakeAt.getTime(), NOW + 1_500);
});

test('compensating switches the saga to undoing, with its reason; finishing ends it by direction', () => {
  const undoing = advanceFor(running, { kind: 'compensate', step: 'deleteDevice', reason: 'QUOTA_EXCEEDED: no room' }, NOW);
  assert.deepEqual([undoing.status, undoing.step, undoing.failureReason], ['COMPENSATING', 'deleteDevice', 'QUOTA_EXCEEDED: no room']);
  assert.equal(advanceFor(running, { kind: 'finish' }, NOW).status, 'COMPLETED');
  assert.equal(advanceFor({ ...running, status: 'COMPENSATING', step: 'closeOrder' }, { kind: 'finish' }, NOW).status, 'COMPENSATED');
});

test('retries back off exponentially from half a second to at most a minute', () => {
  assert.deepEqual([1, 2, 3, 4].map(backoffMs), [500, 1_000, 2_000, 4_000]);
  assert.equal(backoffMs(0), 500);
  assert.equal(backoffMs(50), 60_000);
});
