import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { type AnyEventEnvelope, type EventTransport, Outbox, OutboxRelay } from '@cloudphone/events';
import { eventsDatabase, userUpdated } from '../support/events.js';

/** Records what the relays publish, slowly enough that two relays would interleave if they could. */
class RecordingTransport implements EventTransport {
  readonly published: AnyEventEnvelope[] = [];
  async publish(envelope: AnyEventEnvelope): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, Math.random() < 0.1 ? 2 : 0));
    this.published.push(envelope);
  }
  async consume(): Promise<never> {
    throw new Error('not used');
  }
  async broadcast(): Promise<never> {
    throw new Error('not used');
  }
  async deadLetters(): Promise<never[]> {
    return [];
  }
  async deadLetterCount(): Promise<number> {
    return 0;
  }
  async redrive(): Promise<number> {
    return 0;
  }
  isConnected(): boolean {
    return true;
  }
  async close(): Promise<void> {}
}

test('two relay replicas on one outbox publish each event once, in order per aggregate', async (context) => {
  const events = await eventsDatabase({ requirePostgres: true });
  if (!events) return context.skip('needs PostgreSQL (two connections to one database): set TEST_POSTGRES_URL');
  try {
    const outbox = new Outbox('events-test');
    const aggregates = Array.from({ length: 12 }, () => randomUUID());
    const written: AnyEventEnvelope[] = [];
    for (let batch = 0; batch < 30; batch += 1) {
      await events.database.db.transaction(async (tx) => {
        for (const [index, userId] of aggregates.entries()) {
          if ((batch + index) % 3 === 0) continue;
          const envelope = userUpdated(userId, batch + 1);
          written.push(await outbox.append(tx, { type: 'user.updated', data: envelope.data as never, aggregateId: userId }));
        }
      });
    }
    const transport = new RecordingTransport();
    const replica = await events.openReplica();
    const relays = [new OutboxRelay(events.database, transport, { service: 'events-test', batchSize: 25 }), new OutboxRelay(replica, transport, { service: 'events-test', batchSize: 25 })];
    // Each replica publishes batches until the outbox is empty; -1 means the other one held the relay lock.
    let refusals = 0;
    const drained = await Promise.all(
      relays.map(async (relay) => {
        let published = 0;
        for (;;) {
          const batch = await relay.publishBatch();
          if (batch === 0) return published;
          if (batch < 0) refusals += 1;
          else published += batch;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }),
    );

    assert.equal(transport.published.length, written.length, 'every event published');
    assert.equal(new Set(transport.published.map((envelope) => envelope.id)).size, written.length, 'none published twice');
    assert.ok(refusals > 0, `the replicas contended for the outbox (published ${drained.join(' + ')})`);
    for (const userId of aggregates) {
      const order = (list: AnyEventEnvelope[]) => list.filter((envelope) => 'userId' in envelope.data && envelope.data.userId === userId).map((envelope) => envelope.id);
      assert.deepEqual(order(transport.published), order(written), `events of ${userId} in commit order`);
    }
  } finally {
    await events.close();
  }
});
