import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { type AnyEventEnvelope, exponentialRetry } from '@cloudphone/events';
import { eventually, transportFactories, userUpdated } from '../support/events.js';

for (const factory of await transportFactories()) {
  describe(`poison messages on ${factory.kind}`, () => {
    test('a failing message is dead-lettered after 3 attempts while the others keep flowing; re-drive applies it once fixed', async () => {
      const transport = factory.create(exponentialRetry(3, 20, 2));
      const applied = new Map<string, number>();
      const poison = userUpdated(randomUUID(), 7);
      let fixed = false;
      const subscription = await transport.consume({ consumer: 'poison-test', keys: ['user.updated'] }, async (envelope) => {
        if (envelope.id === poison.id && !fixed) throw new Error('cannot apply this one yet');
        applied.set(envelope.id, (applied.get(envelope.id) ?? 0) + 1);
      });
      try {
        const good = Array.from({ length: 40 }, (_, index) => userUpdated(randomUUID(), index + 1));
        for (const envelope of [...good.slice(0, 20), poison, ...good.slice(20)]) await transport.publish(envelope);
        const invalid = { ...userUpdated(randomUUID(), 1), data: { userId: 'not-a-uuid' } } as unknown as AnyEventEnvelope;
        await transport.publish(invalid);

        await eventually(async () => good.every((envelope) => applied.get(envelope.id) === 1), 'every good message applied');
        await eventually(async () => (await transport.deadLetters('poison-test')).length === 2, 'two dead letters');
        const letters = await transport.deadLetters('poison-test');
        const poisonLetter = letters.find((letter) => letter.id === poison.id);
        assert.equal(poisonLetter?.attempts, 3);
        assert.equal(poisonLetter?.reason, 'cannot apply this one yet');
        const invalidLetter = letters.find((letter) => letter.id === invalid.id);
        assert.equal(invalidLetter?.attempts, 1, 'an invalid message is not retried');
        assert.match(invalidLetter?.reason ?? '', /invalid user\.updated v1 payload: userId: Invalid UUID/);
        assert.equal(applied.has(poison.id), false);
        assert.equal((await transport.deadLetters('poison-test')).length, 2, 'listing takes nothing away');

        fixed = true;
        assert.equal(await transport.redrive('poison-test'), 2);
        await eventually(() => applied.get(poison.id) === 1, 'the re-driven message applied');
        // The invalid one is still invalid: back in the dead letters, and nothing was applied twice.
        await eventually(async () => (await transport.deadLetters('poison-test')).map((letter) => letter.id).join() === invalid.id, 'only the invalid letter left');
        assert.ok([...applied.values()].every((count) => count === 1));
      } finally {
        await subscription.cancel();
        await transport.close();
      }
    });
  });
}
