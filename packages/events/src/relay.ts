import type { SubgraphDatabase } from '@cloudphone/db';
import { queryRows } from '@cloudphone/db';
import { asc, inArray, isNull, sql } from 'drizzle-orm';
import { outboxChannel } from './outbox.js';
import { outbox } from './tables.js';
import type { EventTransport } from './transport.js';

export interface RelayOptions {
  service: string;
  batchSize?: number;
  /** Fallback poll, for notifications missed while reconnecting. */
  pollMs?: number;
  onError?: (error: unknown) => void;
  /**
   * Told that the subgraph's data changed: when an outbox write commits (its
   * NOTIFY) and again when its events are published (a NOTIFY missed while
   * reconnecting is caught by the poll), whether or not the broker is up.
   */
  onDataChanged?: () => void;
}

/**
 * The advisory lock a relay holds while it publishes a batch: only one relay
 * of a database publishes at a time, so per-aggregate order holds with any
 * number of replicas. Whoever else holds it pauses publishing.
 */
export const OUTBOX_RELAY_LOCK = 4_711_002;

/**
 * Publishes committed outbox events in sequence order. Woken by NOTIFY at
 * commit (milliseconds) and by a slow poll; safe with several replicas: a
 * transaction-scoped advisory lock lets one replica publish a batch at a time.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private running = false;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly database: SubgraphDatabase,
    private readonly transport: EventTransport,
    private readonly options: RelayOptions,
  ) {
    this.batchSize = options.batchSize ?? 200;
  }

  async start(): Promise<void> {
    this.unlisten = await this.database.listen(outboxChannel(this.options.service), () => {
      this.options.onDataChanged?.();
      this.wake();
    });
    this.timer = setInterval(() => this.wake(), this.options.pollMs ?? 1_000);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.unlisten?.();
    await this.idle();
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.run();
  }

  /** Resolves when no batch is being published (tests, shutdown). */
  idle(): Promise<void> {
    return this.running ? new Promise((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }

  /** Publishes everything committed so far; returns how many events went out. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.publishBatch();
      total += Math.max(published, 0);
      if (published === 0) return total;
      if (published < 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        const published = await this.publishBatch();
        if (published > 0) this.options.onDataChanged?.();
        if (published === this.batchSize) this.again = true;
      } while (this.again && !this.stopped);
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      this.running = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** One batch under the relay lock: the number published, or -1 when another replica holds the lock. */
  async publishBatch(): Promise<number> {
    return this.database.background.transaction(async (tx) => {
      const [lock] = await queryRows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${OUTBOX_RELAY_LOCK}) as locked`);
      if (!lock?.locked) return -1;
      const pending = await tx.select().from(outbox).where(isNull(outbox.publishedAt)).orderBy(asc(outbox.sequence)).limit(this.batchSize);
      const published: number[] = [];
      try {
        for (const row of pending) {
          await this.transport.publish(row.envelope);
          published.push(row.sequence);
        }
      } catch (error) {
        // What went out stays marked; the rest is retried on the next wake, in order.
        this.options.onError?.(error);
      }
      if (published.length > 0) await tx.update(outbox).set({ publishedAt: new Date() }).where(inArray(outbox.sequence, published));
      return published.length;
    });
  }
}
