import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { RabbitMqTransport, applyOnce } from '@cloudphone/events';
import { realRabbitMq } from '@cloudphone/testing';
import { sql } from 'drizzle-orm';
import { eventsDatabase, eventually, userUpdated } from '../support/events.js';

const DYING_CONSUMER = new URL('./processes/dying-consumer.js', import.meta.url);

test('a consumer process killed after its effect and before its ack: the redelivery is not applied twice', async (context) => {
  const amqpUrl = await realRabbitMq();
  const events = amqpUrl ? await eventsDatabase({ requirePostgres: true }) : undefined;
  if (!amqpUrl || !events) return context.skip('needs RabbitMQ and PostgreSQL: set TEST_AMQP_URL and TEST_POSTGRES_URL');
  const namespace = `test-${randomUUID()}`;
  const transport = new RabbitMqTransport({ url: amqpUrl, namespace });
  try {
    const child = fork(DYING_CONSUMER, [amqpUrl, namespace, events.url], { stdio: 'inherit' });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the consumer exited early (${code})`)));
    });
    const envelope = userUpdated(randomUUID(), 1);
    await transport.publish(envelope);
    const exit = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    assert.equal(exit, 'SIGKILL', 'the consumer died mid-delivery');
    assert.deepEqual(await events.effects(), [envelope.id], 'the effect was committed before the death');

    // A new consumer on the same queue gets the unacknowledged message again.
    const outcomes: string[] = [];
    const subscription = await transport.consume({ consumer: 'killed-test', keys: ['user.updated'] }, async (redelivered) => {
      outcomes.push(await applyOnce(events.database, 'killed-test', redelivered, (tx) => tx.execute(sql`insert into effects (event_id) values (${redelivered.id})`).then(() => undefined)));
    });
    await eventually(() => outcomes.length === 1, 'the message redelivered');
    await subscription.cancel();
    assert.deepEqual(outcomes, ['duplicate']);
    assert.deepEqual(await events.effects(), [envelope.id], 'applied once');
  } finally {
    await transport.close();
    await events.close();
  }
});
