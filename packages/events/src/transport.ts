import type { RoutingKey } from './catalog.js';
import type { AnyEventEnvelope } from './envelope.js';

export interface RetryPolicy {
  /** Deliveries before a message goes to the dead-letter queue. */
  maxAttempts: number;
  /** Delay before the n-th retry (n from 1). */
  delayMs(retry: number): number;
}

export function exponentialRetry(maxAttempts = 5, baseMs = 1_000, factor = 4): RetryPolicy {
  return { maxAttempts, delayMs: (retry) => baseMs * factor ** (retry - 1) };
}

export interface ConsumerOptions {
  /** Queue name suffix: one durable queue per consuming subgraph. */
  consumer: string;
  keys: readonly RoutingKey[];
  /** Defaults to the transport's policy. */
  retry?: RetryPolicy;
  /** Messages in flight at once. */
  prefetch?: number;
}

export type EventHandler = (envelope: AnyEventEnvelope) => Promise<void>;

export interface DeadLetter {
  id: string | undefined;
  routingKey: string;
  reason: string;
  attempts: number;
  body: string;
}

export interface Subscription {
  cancel(): Promise<void>;
}

export interface BroadcastSubscription extends Subscription {
  /** The broker queue that holds this listener's copies now (RabbitMQ: renewed on each reconnect); undefined in process. */
  readonly queue: string | undefined;
}

/**
 * How events travel between subgraphs. RabbitMQ in production; an in-process
 * transport with the same routing, retries and dead letters in embedded mode.
 */
export interface EventTransport {
  /** Resolves once the broker has durably accepted the event (publisher confirm). */
  publish(envelope: AnyEventEnvelope): Promise<void>;
  /** Delivers matching events to `handler`; a throwing handler is retried, then dead-lettered. */
  consume(options: ConsumerOptions, handler: EventHandler): Promise<Subscription>;
  /**
   * Live fan-out: every caller (e.g. every gateway replica) gets every
   * matching event, through its own exclusive queue that disappears with it.
   * No retries and no dead letters: a live view, not a consumer of record.
   */
  broadcast(keys: readonly RoutingKey[], handler: (envelope: AnyEventEnvelope) => void): Promise<BroadcastSubscription>;
  deadLetters(consumer: string): Promise<DeadLetter[]>;
  /** How many messages `consumer`'s dead-letter queue holds (metrics): cheaper than listing them. */
  deadLetterCount(consumer: string): Promise<number>;
  /** Moves every dead letter of `consumer` back to its queue; returns how many. */
  redrive(consumer: string): Promise<number>;
  /** Whether events can reach the broker right now (readiness probes); always true in process. */
  isConnected(): boolean;
  close(): Promise<void>;
}
