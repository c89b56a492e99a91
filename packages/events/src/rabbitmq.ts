import amqp, { type AmqpConnectionManager, type ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { connect as connectDirect } from 'amqplib';
import type { RoutingKey } from './catalog.js';
import { type AnyEventEnvelope, InvalidEventError, parseEnvelope } from './envelope.js';
import { type BroadcastSubscription, type ConsumerOptions, type DeadLetter, type EventHandler, type EventTransport, type RetryPolicy, type Subscription, exponentialRetry } from './transport.js';

export interface RabbitMqOptions {
  url: string;
  /** Prefix of the exchange and queue names (tests use their own). */
  namespace?: string;
  /** How long a publish may wait for a broker that is down before it fails. */
  publishTimeoutMs?: number;
  retry?: RetryPolicy;
  onError?: (error: unknown) => void;
}

const ATTEMPT_HEADER = 'x-attempt';
const REASON_HEADER = 'x-dead-letter-reason';

function confirmSend(channel: ConfirmChannel, queue: string, content: Buffer, options: Options.Publish): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.sendToQueue(queue, content, options, (error) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()));
  });
}

/**
 * RabbitMQ over amqplib, reconnecting by itself (amqp-connection-manager):
 * one durable topic exchange; one durable queue per consuming subgraph bound
 * to its keys; persistent messages with publisher confirms; bounded prefetch;
 * retries through TTL queues that dead-letter back to the consumer's queue;
 * a dead-letter queue after the last attempt.
 */
export class RabbitMqTransport implements EventTransport {
  private readonly connection: AmqpConnectionManager;
  private readonly publisher: ChannelWrapper;
  private readonly exchange: string;
  private readonly namespace: string;

  constructor(private readonly options: RabbitMqOptions) {
    this.namespace = options.namespace ?? 'cloudphone';
    this.exchange = `${this.namespace}.events`;
    this.connection = amqp.connect([options.url], { heartbeatIntervalInSeconds: 5, reconnectTimeInSeconds: 1 });
    this.connection.on('disconnect', ({ err }) => options.onError?.(err));
    this.publisher = this.connection.createChannel({
      json: false,
      publishTimeout: options.publishTimeoutMs ?? 30_000,
      setup: (channel: ConfirmChannel) => channel.assertExchange(this.exchange, 'topic', { durable: true }).then(() => undefined),
    });
  }

  queueOf(consumer: string): string {
    return `${this.namespace}.${consumer}`;
  }

  deadLetterQueueOf(consumer: string): string {
    return `${this.queueOf(consumer)}.dead`;
  }

  private retryQueueOf(consumer: string, delayMs: number): string {
    // The delay is part of the name: a queue's TTL cannot change once declared.
    return `${this.queueOf(consumer)}.retry.${delayMs}ms`;
  }

  async publish(envelope: AnyEventEnvelope): Promise<void> {
    await this.publisher.publish(this.exchange, envelope.type, Buffer.from(JSON.stringify(envelope)), {
      persistent: true,
      contentType: 'application/json',
      messageId: envelope.id,
      type: envelope.type,
      timestamp: Math.floor(Date.parse(envelope.occurredAt) / 1000),
      headers: { [ATTEMPT_HEADER]: 1 },
    });
  }

  async consume(options: ConsumerOptions, handler: EventHandler): Promise<Subscription> {
    const queue = this.queueOf(options.consumer);
    const dead = this.deadLetterQueueOf(options.consumer);
    const retry = options.retry ?? this.options.retry ?? exponentialRetry();
    const retryDelays = Array.from({ length: Math.max(retry.maxAttempts - 1, 0) }, (_, index) => retry.delayMs(index + 1));
    let consumerTag: string | undefined;
    const wrapper = this.connection.createChannel({
      json: false,
      setup: async (channel: ConfirmChannel) => {
        await channel.assertExchange(this.exchange, 'topic', { durable: true });
        await channel.assertQueue(queue, { durable: true });
        for (const key of options.keys) await channel.bindQueue(queue, this.exchange, key);
        for (const delay of new Set(retryDelays)) {
          await channel.assertQueue(this.retryQueueOf(options.consumer, delay), {
            durable: true,
            arguments: { 'x-message-ttl': delay, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
          });
        }
        await channel.assertQueue(dead, { durable: true });
        await channel.prefetch(options.prefetch ?? 20);
        const reply = await channel.consume(queue, (message) => {
          if (message) void this.deliver(channel, message, options, retryDelays, handler);
        });
        consumerTag = reply.consumerTag;
      },
    });
    await wrapper.waitForConnect();
    return {
      cancel: async () => {
        if (consumerTag) await wrapper.cancel(consumerTag).catch(() => undefined);
        await wrapper.close();
      },
    };
  }

  async broadcast(keys: readonly RoutingKey[], handler: (envelope: AnyEventEnvelope) => void): Promise<BroadcastSubscription> {
    let current: string | undefined;
    const wrapper = this.connection.createChannel({
      json: false,
      setup: async (channel: ConfirmChannel) => {
        await channel.assertExchange(this.exchange, 'topic', { durable: true });
        // A fresh server-named queue on every (re)connect: it lives as long as this connection.
        const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
        current = queue;
        for (const key of keys) await channel.bindQueue(queue, this.exchange, key);
        await channel.consume(
          queue,
          (message) => {
            if (!message) return;
            try {
              handler(parseEnvelope(JSON.parse(message.content.toString('utf8'))));
            } catch (error) {
              this.options.onError?.(error);
            }
          },
          { noAck: true },
        );
      },
    });
    await wrapper.waitForConnect();
    return {
      get queue() {
        return current;
      },
      cancel: () => wrapper.close(),
    };
  }

  private async deliver(channel: ConfirmChannel, message: ConsumeMessage, options: ConsumerOptions, retryDelays: number[], handler: EventHandler): Promise<void> {
    const attempt = Number(message.properties.headers?.[ATTEMPT_HEADER] ?? 1);
    const forward = (queue: string, headers: Record<string, unknown>) =>
      confirmSend(channel, queue, message.content, {
        persistent: true,
        contentType: 'application/json',
        messageId: message.properties.messageId as string | undefined,
        type: (message.properties.type as string | undefined) ?? message.fields.routingKey,
        headers,
      });
    try {
      let envelope: AnyEventEnvelope;
      try {
        envelope = parseEnvelope(JSON.parse(message.content.toString('utf8')));
      } catch (error) {
        // A message that can never be valid goes straight to the dead letters, with the reason.
        const reason = error instanceof InvalidEventError ? error.message : `unreadable message: ${(error as Error).message}`;
        await forward(this.deadLetterQueueOf(options.consumer), { [ATTEMPT_HEADER]: attempt, [REASON_HEADER]: reason });
        channel.ack(message);
        return;
      }
      try {
        await handler(envelope);
        channel.ack(message);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const delay = retryDelays[attempt - 1];
        if (delay === undefined) await forward(this.deadLetterQueueOf(options.consumer), { [ATTEMPT_HEADER]: attempt, [REASON_HEADER]: reason });
        else await forward(this.retryQueueOf(options.consumer, delay), { [ATTEMPT_HEADER]: attempt + 1, [REASON_HEADER]: reason });
        channel.ack(message);
      }
    } catch (error) {
      // The channel failed mid-way: the message stays unacked and comes back after reconnecting.
      this.options.onError?.(error);
    }
  }

  async deadLetters(consumer: string): Promise<DeadLetter[]> {
    return this.withDirectChannel(async (channel) => {
      // Declared as the consumer declares it: a consumer that never ran simply has no letters.
      await channel.assertQueue(this.deadLetterQueueOf(consumer), { durable: true });
      const letters: DeadLetter[] = [];
      for (;;) {
        const message = await channel.get(this.deadLetterQueueOf(consumer), { noAck: false });
        if (!message) break;
        letters.push({
          id: message.properties.messageId as string | undefined,
          routingKey: (message.properties.type as string | undefined) ?? message.fields.routingKey,
          reason: String(message.properties.headers?.[REASON_HEADER] ?? ''),
          attempts: Number(message.properties.headers?.[ATTEMPT_HEADER] ?? 0),
          body: message.content.toString('utf8'),
        });
      }
      // Listing takes nothing away: every letter goes back to the queue.
      channel.nackAll(true);
      return letters;
    });
  }

  async deadLetterCount(consumer: string): Promise<number> {
    const connection = this.connection.connection;
    if (!connection) throw new Error('not connected to the broker');
    // A channel of its own on the open connection: a queue not declared yet closes only this channel (404).
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    try {
      return (await channel.checkQueue(this.deadLetterQueueOf(consumer))).messageCount;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  async redrive(consumer: string): Promise<number> {
    return this.withDirectChannel(async (channel) => {
      // Only the letters there now: one that fails again comes back and must not be moved twice.
      const { messageCount } = await channel.assertQueue(this.deadLetterQueueOf(consumer), { durable: true });
      let moved = 0;
      while (moved < messageCount) {
        const message = await channel.get(this.deadLetterQueueOf(consumer), { noAck: false });
        if (!message) return moved;
        await confirmSend(channel, this.queueOf(consumer), message.content, {
          persistent: true,
          contentType: 'application/json',
          messageId: message.properties.messageId as string | undefined,
          type: message.properties.type as string | undefined,
          headers: { [ATTEMPT_HEADER]: 1 },
        });
        channel.ack(message);
        moved += 1;
      }
      return moved;
    });
  }

  private async withDirectChannel<T>(work: (channel: ConfirmChannel) => Promise<T>): Promise<T> {
    const connection = await connectDirect(this.options.url);
    connection.on('error', (error: Error) => this.options.onError?.(error));
    try {
      const channel = await connection.createConfirmChannel();
      await channel.assertExchange(this.exchange, 'topic', { durable: true });
      const result = await work(channel);
      await channel.close();
      return result;
    } finally {
      await connection.close();
    }
  }

  isConnected(): boolean {
    return this.connection.isConnected();
  }

  async close(): Promise<void> {
    await this.publisher.close();
    await this.connection.close();
  }
}
