import { timestampColumn } from '@cloudphone/db';
import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import type { AnyEventEnvelope } from './envelope.js';

/**
 * Events waiting to be published, written in the same transaction as the
 * change they describe. Every publishing subgraph re-exports this table from
 * its database schema, so drizzle-kit creates it in that subgraph's database.
 */
export const outbox = pgTable(
  'outbox',
  {
    sequence: bigserial('sequence', { mode: 'number' }).primaryKey(),
    eventId: uuid('event_id').notNull().unique(),
    routingKey: text('routing_key').notNull(),
    /** The entity the event is about; events of one aggregate are published in sequence order. */
    aggregateId: text('aggregate_id').notNull(),
    envelope: jsonb('envelope').$type<AnyEventEnvelope>().notNull(),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
    publishedAt: timestampColumn('published_at'),
  },
  (table) => [index('outbox_unpublished_idx').on(table.sequence).where(sql`published_at is null`)],
);

/** Events a consumer has applied, written in the same transaction as the effect: a redelivery is a no-op. */
export const inbox = pgTable(
  'inbox',
  {
    eventId: uuid('event_id').notNull(),
    consumer: text('consumer').notNull(),
    routingKey: text('routing_key').notNull(),
    processedAt: timestampColumn('processed_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.eventId, table.consumer] })],
);

export type OutboxRow = typeof outbox.$inferSelect;
