import type { Database, SubgraphDatabase } from '@cloudphone/db';
import type { AnyEventEnvelope } from './envelope.js';
import { inbox } from './tables.js';

export type InboxOutcome = 'applied' | 'duplicate';

/**
 * Applies an event's effect at most once per consumer: the event id goes into
 * the inbox in the same transaction as the effect, so a redelivery after a
 * crash (effect committed, ack lost) finds it and does nothing.
 */
export async function applyOnce(
  database: SubgraphDatabase,
  consumer: string,
  envelope: AnyEventEnvelope,
  effect: (tx: Database) => Promise<void>,
): Promise<InboxOutcome> {
  return database.background.transaction(async (tx) => {
    const recorded = await tx
      .insert(inbox)
      .values({ eventId: envelope.id, consumer, routingKey: envelope.type })
      .onConflictDoNothing()
      .returning({ eventId: inbox.eventId });
    if (recorded.length === 0) return 'duplicate';
    await effect(tx);
    return 'applied';
  });
}
