import { RabbitMqTransport } from '@cloudphone/events';
import { loadDeadLetterConfig } from '../config.js';

// `npm run events:dlq -- list <consumer>` shows the dead letters of a consuming subgraph's queue;
// `npm run events:dlq -- redrive <consumer>` moves them back to its queue (after the cause is fixed).
const [command, consumer] = process.argv.slice(2);
if ((command !== 'list' && command !== 'redrive') || !consumer) {
  console.error('usage: npm run events:dlq -- list|redrive <consumer>   (consumers: devices, billing, ...)');
  process.exit(2);
}
const config = loadDeadLetterConfig();
const transport = new RabbitMqTransport({ url: config.amqpUrl, namespace: config.namespace });
try {
  if (command === 'list') {
    const letters = await transport.deadLetters(consumer);
    for (const letter of letters) console.log(`${letter.id ?? '(no id)'}  ${letter.routingKey}  after ${letter.attempts} attempt(s): ${letter.reason}`);
    console.log(`${letters.length} dead letter(s) in ${transport.deadLetterQueueOf(consumer)}`);
  } else {
    console.log(`re-drove ${await transport.redrive(consumer)} dead letter(s) to ${transport.queueOf(consumer)}`);
  }
} finally {
  await transport.close();
}
