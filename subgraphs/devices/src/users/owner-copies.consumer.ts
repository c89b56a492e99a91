import type { SubgraphDatabase } from '@cloudphone/db';
import type { EventTransport } from '@cloudphone/events';
import { DATABASE, EVENT_TRANSPORT, InboxConsumer } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { DevicesRepository } from '../devices/devices.repository.js';
import { CONSUMES } from '../events.js';

/** Keeps the owner name and e-mail copied on devices in step with the users subgraph. */
@Injectable()
export class OwnerCopiesConsumer extends InboxConsumer {
  constructor(@Inject(DATABASE) database: SubgraphDatabase, @Inject(EVENT_TRANSPORT) transport: EventTransport, repository: DevicesRepository) {
    super(database, transport, {
      consumer: 'devices',
      keys: CONSUMES,
      apply: async (envelope, tx) => {
        if (envelope.type !== 'user.updated' && envelope.type !== 'user.suspended' && envelope.type !== 'user.deleted') return;
        const { userId, displayName, email, version } = envelope.data;
        await repository.applyOwnerSnapshot(tx, { userId, displayName, email, version });
      },
    });
  }
}
