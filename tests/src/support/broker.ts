import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The broker's own count of consumers on `queue` (rabbitmqctl on this
 * machine, as the broker-restart tests use it); undefined when the queue does
 * not exist.
 */
export async function queueConsumers(queue: string): Promise<number | undefined> {
  const { stdout } = await run('rabbitmqctl', ['list_queues', '-q', '--no-table-headers', 'name', 'consumers']);
  for (const line of stdout.split('\n')) {
    const [name, consumers] = line.split('\t');
    if (name === queue) return Number(consumers);
  }
  return undefined;
}
