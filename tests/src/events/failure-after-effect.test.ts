import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { applyOnce, exponentialRetry } from '@cloudphone/events';
import { sql } from 'drizzle-orm';
import { eventsDatabase, eventually, transportFactories, userUpdated } from '../support/events.js';

for (const factory of await transportFactories()) {
  describe(`redelivery on ${factory.kind}`, () => {
    test('a handler that fails after its effect committed is redelivered, and the redelivery is not applied twice', async () => {
      const events = await eventsDatabase();
      assert.ok(events);
      const transport = factory.create(exponentialRetry(5, 20, 2));
      const deliveries = new Map<string, number>();
      const outcomes: string[] = [];
      const subscription = await transport.consume({ consumer: 'crash-test', keys: ['user.updated'] }, async (envelope) => {
        const outcome = await applyOnce(events.database, 'crash-test', envelope, (tx) => tx.execute(sql`insert into effects (event_id) values (${envelope.id})`).then(() => undefined));
        outcomes.push(outcome);
        const delivery = (deliveries.get(envelope.id) ?? 0) + 1;
        deliveries.set(envelope.id, delivery);
        // The effect is committed; the process "dies" before acknowledging: the broker delivers again.
        if (delivery === 1) throw new Error('crashed before ack');
      });
      try {
        const sent = Array.from({ length: 25 }, (_, index) => userUpdated(randomUUID(), index + 1));
        for (const envelope of sent) await transport.publish(envelope);
        await eventually(() => sent.every((envelope) => deliveries.get(envelope.id) === 2), 'every event delivered twice');
        const effects = await events.effects();
        assert.equal(effects.length, sent.length, 'each effect applied exactly once');
        assert.deepEqual(new Set(effects), new Set(sent.map((envelope) => envelope.id)));
        assert.equal(outcomes.filter((outcome) => outcome === 'applied').length, sent.length);
        assert.equal(outcomes.filter((outcome) => outcome === 'duplicate').length, sent.length);
      } finally {
        await subscription.cancel();
        await transport.close();
        await events.close();
      }
    });
  });
}
