// A consumer process that applies its first event and dies before acknowledging it
// (spawned by consumer-killed.test.ts). argv: amqpUrl namespace databaseUrl
import { openDatabase } from '@cloudphone/db';
import { RabbitMqTransport, applyOnce } from '@cloudphone/events';
import { usersSubgraph } from '@cloudphone/users-subgraph';
import { sql } from 'drizzle-orm';

const [amqpUrl, namespace, databaseUrl] = process.argv.slice(2);
if (!amqpUrl || !namespace || !databaseUrl) throw new Error('usage: dying-consumer <amqpUrl> <namespace> <databaseUrl>');
const database = await openDatabase({ service: 'events-test', target: { kind: 'postgres', url: databaseUrl }, migrationsFolder: usersSubgraph.migrationsFolder });
const transport = new RabbitMqTransport({ url: amqpUrl, namespace });
await transport.consume({ consumer: 'killed-test', keys: ['user.updated'], prefetch: 1 }, async (envelope) => {
  await applyOnce(database, 'killed-test', envelope, (tx) => tx.execute(sql`insert into effects (event_id) values (${envelope.id})`).then(() => undefined));
  // The effect is committed; the process dies before the ack can be sent.
  process.kill(process.pid, 'SIGKILL');
});
process.send?.('consuming');
