import { BroadcastChannel } from 'node:worker_threads';
import { type RoutingKey, matchesPattern } from './catalog.js';
import { type AnyEventEnvelope, InvalidEventError, parseEnvelope } from './envelope.js';
import { type BroadcastSubscription, type ConsumerOptions, type DeadLetter, type EventHandler, type EventTransport, type RetryPolicy, type Subscription, exponentialRetry } from './transport.js';

interface LocalConsumer {
  options: ConsumerOptions;
  handler: EventHandler;
  inFlight: number;
  waiting: (() => void)[];
  cancelled: boolean;
}

/**
 * The embedded mode's broker: events cross worker threads of one process
 * through a BroadcastChannel and reach every consumer bound to their routing
 * key, with the same retries and dead letters as RabbitMQ. It keeps nothing
 * on disk: events in flight when the process dies are lost (the outbox has
 * already marked them published); production uses RabbitMQ.
 */
export class InProcessTransport implements EventTransport {
  private readonly channel: BroadcastChannel;
  private readonly consumers = new Map<string, LocalConsumer>();
  private readonly dead = new Map<string, DeadLetter[]>();
  private readonly listeners = new Set<{ keys: readonly RoutingKey[]; handler: (envelope: AnyEventEnvelope) => void }>();

  constructor(
    name = 'cloudphone-events',
    private readonly retry: RetryPolicy = exponentialRetry(),
    private readonly onError?: (error: unknown) => void,
  ) {
    this.channel = new BroadcastChannel(name);
    this.channel.unref();
    this.channel.onmessage = (event) => this.route(String((event as MessageEvent).data));
  }

  async publish(envelope: AnyEventEnvelope): Promise<void> {
    const body = JSON.stringify(envelope);
    this.channel.postMessage(body);
    // A BroadcastChannel does not echo to its sender: deliver to this thread's consumers too.
    this.route(body);
  }

  async consume(options: ConsumerOptions, handler: EventHandler): Promise<Subscription> {
    const consumer: LocalConsumer = { options, handler, inFlight: 0, waiting: [], cancelled: false };
    this.consumers.set(options.consumer, consumer);
    return {
      cancel: async () => {
        consumer.cancelled = true;
        this.consumers.delete(options.consumer);
      },
    };
  }

  async broadcast(keys: readonly RoutingKey[], handler: (envelope: AnyEventEnvelope) => void): Promise<BroadcastSubscription> {
    const listener = { keys, handler };
    this.listeners.add(listener);
    return {
      queue: undefined,
      cancel: async () => {
        this.listeners.delete(listener);
      },
    };
  }

  private route(body: string): void {
    let type: unknown;
    try {
      type = (JSON.parse(body) as { type?: unknown }).type;
    } catch {
      return;
    }
    if (typeof type !== 'string') return;
    for (const consumer of this.consumers.values()) {
      if (consumer.options.keys.some((key) => matchesPattern(key, type))) void this.deliver(consumer, body, 1);
    }
    for (const listener of this.listeners) {
      if (!listener.keys.some((key) => matchesPattern(key, type))) continue;
      try {
        listener.handler(parseEnvelope(JSON.parse(body)));
      } catch (error) {
        this.onError?.(error);
      }
    }
  }

  private async deliver(consumer: LocalConsumer, body: string, attempt: number): Promise<void> {
    const limit = consumer.options.prefetch ?? 20;
    while (consumer.inFlight >= limit) await new Promise<void>((resolve) => consumer.waiting.push(resolve));
    if (consumer.cancelled) return;
    consumer.inFlight += 1;
    try {
      let envelope: AnyEventEnvelope;
      try {
        envelope = parseEnvelope(JSON.parse(body));
      } catch (error) {
        this.deadLetter(consumer, body, attempt, error instanceof InvalidEventError ? error.message : `unreadable message: ${(error as Error).message}`);
        return;
      }
      try {
        await consumer.handler(envelope);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const retry = consumer.options.retry ?? this.retry;
        if (attempt >= retry.maxAttempts) this.deadLetter(consumer, body, attempt, reason);
        else setTimeout(() => void this.deliver(consumer, body, attempt + 1), retry.delayMs(attempt)).unref();
      }
    } catch (error) {
      this.onError?.(error);
    } finally {
      consumer.inFlight -= 1;
      consumer.waiting.shift()?.();
    }
  }

  private deadLetter(consumer: LocalConsumer, body: string, attempts: number, reason: string): void {
    let id: string | undefined;
    let routingKey = '';
    try {
      const parsed = JSON.parse(body) as { id?: unknown; type?: unknown };
      id = typeof parsed.id === 'string' ? parsed.id : undefined;
      routingKey = typeof parsed.type === 'string' ? parsed.type : '';
    } catch {
      // unreadable: kept as is
    }
    const letters = this.dead.get(consumer.options.consumer) ?? [];
    letters.push({ id, routingKey, reason, attempts, body });
    this.dead.set(consumer.options.consumer, letters);
  }

  async deadLetters(consumer: string): Promise<DeadLetter[]> {
    return [...(this.dead.get(consumer) ?? [])];
  }

  async deadLetterCount(consumer: string): Promise<number> {
    return this.dead.get(consumer)?.length ?? 0;
  }

  async redrive(consumer: string): Promise<number> {
    // Dead letters live in the thread that hosts the consumer.
    const target = this.consumers.get(consumer);
    const letters = this.dead.get(consumer) ?? [];
    if (!target) return 0;
    this.dead.set(consumer, []);
    for (const letter of letters) void this.deliver(target, letter.body, 1);
    return letters.length;
  }

  isConnected(): boolean {
    return true;
  }

  async close(): Promise<void> {
    for (const consumer of this.consumers.values()) consumer.cancelled = true;
    this.consumers.clear();
    this.listeners.clear();
    this.channel.close();
  }
}
