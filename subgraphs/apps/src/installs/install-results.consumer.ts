import type { SubgraphDatabase } from '@cloudphone/db';
import type { EventTransport } from '@cloudphone/events';
import { DATABASE, EVENT_TRANSPORT, InboxConsumer } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { CONSUMES } from '../events.js';
import { InstallsRepository } from './installs.repository.js';

/** The apps subgraph's consumer (queue `apps`): the devices side's answers complete or fail installs. */
@Injectable()
export class InstallResultsConsumer extends InboxConsumer {
  constructor(@Inject(DATABASE) database: SubgraphDatabase, @Inject(EVENT_TRANSPORT) transport: EventTransport, installs: InstallsRepository) {
    super(database, transport, {
      consumer: 'apps',
      keys: CONSUMES,
      apply: async (envelope, tx) => {
        if (envelope.type === 'app.install.completed') await installs.applyResult(tx, envelope.data.installId, { status: 'INSTALLED' });
        else if (envelope.type === 'app.install.failed') await installs.applyResult(tx, envelope.data.installId, { status: 'FAILED', error: envelope.data.reason });
      },
    });
  }
}
