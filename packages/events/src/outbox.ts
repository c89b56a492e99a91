import type { Database } from '@cloudphone/db';
import { count, isNull, sql } from 'drizzle-orm';
import type { EventPayload, RoutingKey } from './catalog.js';
import { type EventEnvelope, type EventOrigin, createEnvelope } from './envelope.js';
import { outbox } from './tables.js';

export function outboxChannel(service: string): string {
  return `outbox_${service}`;
}

export interface OutboxEvent<K extends RoutingKey> {
  type: K;
  data: EventPayload<K>;
  aggregateId: string;
  tenantId?: string | null;
  userId?: string | null;
}

/**
 * Writes events into the outbox inside the caller's transaction: the event
 * exists if and only if the change it describes was committed. The NOTIFY is
 * delivered at commit and wakes the relay at once.
 */
export class Outbox {
  constructor(private readonly service: string) {}

  async append<K extends RoutingKey>(
    tx: Database,
    event: OutboxEvent<K>,
    origin: Omit<EventOrigin, 'source'> = {},
  ): Promise<EventEnvelope<K>> {
    const envelope = createEnvelope(event.type, event.data, { ...origin, source: this.service }, { tenantId: event.tenantId ?? null, userId: event.userId ?? null });
    await tx.insert(outbox).values({ eventId: envelope.id, routingKey: envelope.type, aggregateId: event.aggregateId, envelope: envelope as never });
    await tx.execute(sql`select pg_notify(${outboxChannel(this.service)}, '')`);
    return envelope;
  }
}

/** Committed events the relay has not published yet: the outbox's backlog. */
export async function unpublishedCount(db: Database): Promise<number> {
  const [row] = await db.select({ unpublished: count() }).from(outbox).where(isNull(outbox.publishedAt));
  return row?.unpublished ?? 0;
}
