import type { SubgraphDatabase } from '@cloudphone/db';
import type { EventTransport } from '@cloudphone/events';
import { DATABASE, EVENT_TRANSPORT, InboxConsumer } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { DevicesRepository } from './devices/devices.repository.js';
import { CONSUMES } from './events.js';
import { InstallRequestsService } from './installs/install-requests.service.js';
import { ProvisioningService } from './provisioning/provisioning.service.js';

/**
 * The devices subgraph's one consumer (queue `devices`): user changes refresh
 * the owner copies; install requests are carried out on the device; new
 * devices are provisioned; deleted devices have their phone torn down.
 */
@Injectable()
export class DevicesInboxConsumer extends InboxConsumer {
  constructor(
    @Inject(DATABASE) database: SubgraphDatabase,
    @Inject(EVENT_TRANSPORT) transport: EventTransport,
    devices: DevicesRepository,
    installs: InstallRequestsService,
    provisioning: ProvisioningService,
  ) {
    super(database, transport, {
      consumer: 'devices',
      keys: CONSUMES,
      apply: async (envelope, tx) => {
        switch (envelope.type) {
          case 'user.updated':
          case 'user.suspended':
          case 'user.deleted': {
            const { userId, displayName, email, version } = envelope.data;
            await devices.applyOwnerSnapshot(tx, { userId, displayName, email, version });
            return;
          }
          case 'app.install.requested':
            await installs.handle(envelope, tx);
            return;
          default:
            return;
        }
      },
      // Provisioning and teardown talk to the provider and take seconds: after the commit, never inside it.
      afterApply: async (envelope) => {
        if (envelope.type === 'device.created') await provisioning.provision(envelope);
        if (envelope.type === 'device.deleted') await provisioning.tearDown(envelope);
      },
    });
  }
}
