import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LiveStream } from '@cloudphone/events';
import { GraphQLError } from 'graphql';
import type { ExecutionResult } from 'graphql-ws';
import { LiveOperations } from './live-operations.js';

/** A live source like a subscription's: results as values are published, ended by `return`. */
function source(stream: LiveStream<ExecutionResult>) {
  return stream.subscribe(
    () => true,
    () => 'key',
  );
}

test('ending a subscription that waits for an event yields the error once, then done, and releases its source', async () => {
  const stream = new LiveStream<ExecutionResult>();
  const live = new LiveOperations();
  const tracked = live.track(source(stream));
  assert.equal(live.size, 1);
  assert.equal(stream.subscriberCount, 1);
  const waiting = tracked.next();
  live.endAll(new GraphQLError('reloaded'));
  const final = await waiting;
  assert.equal(final.done, false);
  assert.deepEqual(final.value, { data: null, errors: [new GraphQLError('reloaded')] });
  assert.deepEqual(await tracked.next(), { done: true, value: undefined });
  assert.equal(live.size, 0);
  assert.equal(stream.subscriberCount, 0, 'the source was returned');
});

test('events before the end pass through; an end between reads is delivered at the next read', async () => {
  const stream = new LiveStream<ExecutionResult>();
  const live = new LiveOperations();
  const tracked = live.track(source(stream));
  const first = tracked.next();
  stream.publish({ data: { n: 1 } });
  assert.deepEqual(await first, { done: false, value: { data: { n: 1 } } });
  tracked.end(new GraphQLError('reloaded'));
  assert.equal((await tracked.next()).value?.errors?.[0]?.message, 'reloaded');
  assert.equal((await tracked.next()).done, true);
  assert.equal(stream.subscriberCount, 0);
});

test('a client that leaves (return) releases the source and is no longer counted; a later end does nothing', async () => {
  const stream = new LiveStream<ExecutionResult>();
  const live = new LiveOperations();
  const tracked = live.track(source(stream));
  await tracked.return?.();
  assert.equal(live.size, 0);
  assert.equal(stream.subscriberCount, 0);
  live.endAll(new GraphQLError('reloaded'));
  assert.deepEqual(await tracked.next(), { done: true, value: undefined });
});
