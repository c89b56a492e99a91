import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LiveStream } from './live-stream.js';

interface Change {
  device: string;
  status: string;
}

test('a subscriber gets the values that pass its filter, in order', async () => {
  const stream = new LiveStream<Change>();
  const iterator = stream.subscribe((change) => change.device !== 'b', (change) => change.device);
  stream.publish({ device: 'a', status: 'RUNNING' });
  stream.publish({ device: 'b', status: 'RUNNING' });
  stream.publish({ device: 'c', status: 'STOPPED' });
  assert.deepEqual((await iterator.next()).value, { device: 'a', status: 'RUNNING' });
  assert.deepEqual((await iterator.next()).value, { device: 'c', status: 'STOPPED' });
  const waiting = iterator.next();
  stream.publish({ device: 'a', status: 'ERROR' });
  assert.deepEqual((await waiting).value, { device: 'a', status: 'ERROR' });
});

test('a slow subscriber keeps only the latest value per key, and at most maxPending keys', async () => {
  const stream = new LiveStream<Change>();
  const iterator = stream.subscribe(() => true, (change) => change.device, 3);
  for (let round = 0; round < 1_000; round += 1) for (const device of ['a', 'b', 'c', 'd', 'e']) stream.publish({ device, status: `S${round}` });
  const received = [(await iterator.next()).value, (await iterator.next()).value, (await iterator.next()).value];
  assert.deepEqual(received, [
    { device: 'c', status: 'S999' },
    { device: 'd', status: 'S999' },
    { device: 'e', status: 'S999' },
  ]);
});

test('returning ends the subscription and frees it', async () => {
  const stream = new LiveStream<Change>();
  const iterator = stream.subscribe(() => true, (change) => change.device);
  assert.equal(stream.subscriberCount, 1);
  const waiting = iterator.next();
  await iterator.return?.();
  assert.deepEqual(await waiting, { value: undefined, done: true });
  assert.equal(stream.subscriberCount, 0);
});

test('values waiting for slow subscribers are counted, and freed when they leave', async () => {
  const stream = new LiveStream<Change>();
  const slow = stream.subscribe(() => true, (change) => change.device);
  const other = stream.subscribe((change) => change.device === 'a', (change) => change.device);
  for (const device of ['a', 'b', 'a']) stream.publish({ device, status: 'RUNNING' });
  assert.equal(stream.pendingCount, 3, 'slow: a and b; other: a');
  await slow.next();
  assert.equal(stream.pendingCount, 2);
  await slow.return?.();
  await other.return?.();
  assert.equal(stream.pendingCount, 0);
});
