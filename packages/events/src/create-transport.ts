import { InProcessTransport } from './in-process.js';
import { RabbitMqTransport } from './rabbitmq.js';
import { type EventTransport, type RetryPolicy, exponentialRetry } from './transport.js';

export interface TransportSettings {
  /** RabbitMQ when set; the in-process transport otherwise (embedded mode). */
  amqpUrl?: string | undefined;
  /** Exchange/queue prefix on RabbitMQ, channel name in process; tests isolate themselves with it. */
  namespace?: string | undefined;
  retry?: RetryPolicy | undefined;
  onError?: (error: unknown) => void;
}

export function createTransport(settings: TransportSettings): EventTransport {
  const namespace = settings.namespace ?? 'cloudphone';
  const retry = settings.retry ?? exponentialRetry();
  if (settings.amqpUrl !== undefined) {
    return new RabbitMqTransport({ url: settings.amqpUrl, namespace, retry, ...(settings.onError ? { onError: settings.onError } : {}) });
  }
  return new InProcessTransport(`${namespace}-events`, retry, settings.onError);
}
