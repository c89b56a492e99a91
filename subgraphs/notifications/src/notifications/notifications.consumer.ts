import type { SubgraphDatabase } from '@cloudphone/db';
import type { EventTransport } from '@cloudphone/events';
import { DATABASE, EVENT_TRANSPORT, InboxConsumer } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { CONSUMES } from '../events.js';
import { NotificationSender } from './notification-sender.service.js';
import { NotifierService } from './notifier.service.js';

/**
 * Turns events into notifications (queue `notifications`).
 *
 * How a retry neither duplicates rows nor loses a send:
 * 1. In the inbox transaction, one row per channel is stored. IN_APP and
 *    WEBSOCKET rows are delivered by that; EMAIL and SMS rows are stored with
 *    delivered_at null, i.e. "a send is owed". Rows and inbox entry commit
 *    together, or neither does.
 * 2. After the commit, in the same delivery of the message, NotificationSender
 *    sends every owed EMAIL/SMS row of the event and stamps delivered_at once
 *    the provider accepted it. A failed send throws, so the transport delivers
 *    the event again (with backoff; dead letter after the last attempt, and a
 *    re-drive later still works).
 * 3. On a redelivery the inbox says "duplicate": no row is written again (the
 *    unique (source_event_id, channel) would refuse one anyway), and step 2
 *    sends only what is still owed. A duplicate delivery of an event that was
 *    fully sent finds nothing owed and sends nothing.
 * Rejected: sending inside the transaction (a network call holds the
 * transaction open, and a rollback after an accepted send cannot unsend it);
 * sending after the commit without the delivered_at mark (a failed send would
 * be lost, since the redelivery is a duplicate for the inbox). What remains is
 * at-least-once: a crash between the provider's acceptance and the stamp sends
 * that one message again, carrying the same notificationId for providers that
 * deduplicate.
 */
@Injectable()
export class NotificationsConsumer extends InboxConsumer {
  constructor(
    @Inject(DATABASE) database: SubgraphDatabase,
    @Inject(EVENT_TRANSPORT) transport: EventTransport,
    notifier: NotifierService,
    sender: NotificationSender,
  ) {
    super(database, transport, {
      consumer: 'notifications',
      keys: CONSUMES,
      apply: async (envelope, tx) => {
        await notifier.notify(envelope, tx);
      },
      afterApply: async (envelope) => {
        await sender.sendOwed(envelope.id);
      },
    });
  }
}
