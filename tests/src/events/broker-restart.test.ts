import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { type AnyEventEnvelope, Outbox, OutboxRelay, RabbitMqTransport, applyOnce, exponentialRetry } from '@cloudphone/events';
import { realRabbitMq } from '@cloudphone/testing';
import { sql } from 'drizzle-orm';
import { eventsDatabase, eventually, userUpdated } from '../support/events.js';

// test-isolation: exclusive (it restarts the shared RabbitMQ broker)

const run = promisify(execFile);

/** Stops and starts the RabbitMQ application on this machine (connections drop, durable data stays). */
async function restartBroker(): Promise<void> {
  await run('rabbitmqctl', ['stop_app']);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await run('rabbitmqctl', ['start_app']);
  await run('rabbitmqctl', ['await_startup']);
}

test('the broker restarted in the middle of 1,000 events: all delivered, none applied twice', async (context) => {
  const amqpUrl = await realRabbitMq();
  const events = amqpUrl ? await eventsDatabase({ requirePostgres: true }) : undefined;
  if (!amqpUrl || !events) return context.skip('needs RabbitMQ and PostgreSQL: set TEST_AMQP_URL and TEST_POSTGRES_URL');
  const transport = new RabbitMqTransport({ url: amqpUrl, namespace: `test-${randomUUID()}`, retry: exponentialRetry(10, 50, 2), publishTimeoutMs: 60_000 });
  const relay = new OutboxRelay(events.database, transport, { service: 'events-test', pollMs: 200 });
  const subscription = await transport.consume({ consumer: 'restart-test', keys: ['user.updated'] }, async (envelope) => {
    await applyOnce(events.database, 'restart-test', envelope, (tx) => tx.execute(sql`insert into effects (event_id) values (${envelope.id})`).then(() => undefined));
  });
  await relay.start();
  try {
    const outbox = new Outbox('events-test');
    const written: AnyEventEnvelope[] = [];
    let restart: Promise<void> | undefined;
    for (let batch = 0; batch < 10; batch += 1) {
      await events.database.db.transaction(async (tx) => {
        for (let index = 0; index < 100; index += 1) {
          const userId = randomUUID();
          written.push(await outbox.append(tx, { type: 'user.updated', data: userUpdated(userId, 1).data as never, aggregateId: userId }));
        }
      });
      if (batch === 3) restart = restartBroker();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await restart;
    await eventually(async () => (await events.effects()).length >= written.length, 'all 1,000 effects applied', 120_000);
    // Redeliveries after the restart may still be in flight: give them a moment, then count again.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const effects = await events.effects();
    assert.equal(effects.length, 1_000, 'each event applied exactly once');
    assert.deepEqual(new Set(effects), new Set(written.map((envelope) => envelope.id)));
  } finally {
    await relay.stop();
    await subscription.cancel();
    await transport.close();
    await events.close();
  }
});
