import type { SubgraphDatabase } from '@cloudphone/db';
import type { EventTransport } from '@cloudphone/events';
import { DATABASE, EVENT_TRANSPORT, InboxConsumer } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { AllocationsRepository } from './allocations/allocations.repository.js';
import { CONSUMES } from './events.js';
import { NodeResourcesRepository } from './nodes/node-resources.repository.js';

/** The scheduler's one consumer (queue `scheduler`); each event applied once, in the inbox transaction. */
@Injectable()
export class SchedulerInboxConsumer extends InboxConsumer {
  constructor(@Inject(DATABASE) database: SubgraphDatabase, @Inject(EVENT_TRANSPORT) transport: EventTransport, nodes: NodeResourcesRepository, allocations: AllocationsRepository) {
    super(database, transport, {
      consumer: 'scheduler',
      keys: CONSUMES,
      apply: async (envelope, tx) => {
        switch (envelope.type) {
          case 'node.updated':
            await nodes.applySnapshot(tx, envelope.data);
            return;
          case 'device.created':
            await allocations.confirm(tx, [envelope.data.deviceId]);
            return;
          case 'device.deleted':
            await allocations.release(tx, envelope.data.deviceId, { status: 'RELEASED', reason: 'device deleted' });
            return;
          default:
            return;
        }
      },
    });
  }
}
