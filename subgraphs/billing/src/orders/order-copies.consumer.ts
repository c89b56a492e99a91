import type { SubgraphDatabase } from '@cloudphone/db';
import type { EventTransport } from '@cloudphone/events';
import { DATABASE, EVENT_TRANSPORT, InboxConsumer } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { CONSUMES } from '../events.js';
import { MeteringService } from '../metering/metering.service.js';
import { SagasRepository } from '../sagas/sagas.repository.js';
import { OrdersRepository } from './orders.repository.js';

/**
 * Billing's one inbox consumer (queue `billing`): keeps the user name/e-mail
 * and device name copied on orders in step with their sources, hands device
 * status changes to metering, and wakes purchases waiting for that device.
 */
@Injectable()
export class OrderCopiesConsumer extends InboxConsumer {
  constructor(
    @Inject(DATABASE) database: SubgraphDatabase,
    @Inject(EVENT_TRANSPORT) transport: EventTransport,
    repository: OrdersRepository,
    metering: MeteringService,
    sagas: SagasRepository,
  ) {
    super(database, transport, {
      consumer: 'billing',
      keys: CONSUMES,
      apply: async (envelope, tx) => {
        switch (envelope.type) {
          case 'user.updated':
          case 'user.suspended':
          case 'user.deleted': {
            const { userId, tenantId, displayName, email, version } = envelope.data;
            await repository.applyUserSnapshot(tx, { userId, tenantId, displayName, email, version });
            return;
          }
          case 'device.updated': {
            const { deviceId, name, version } = envelope.data;
            await repository.applyDeviceSnapshot(tx, { deviceId, name, version });
            return;
          }
          case 'device.status.changed': {
            const { deviceId, userId, tenantId, status, previousStatus, version, changedAt } = envelope.data;
            await metering.applyStatusChange(tx, { deviceId, userId, tenantId, status, previousStatus, version, changedAt: new Date(changedAt) }, { requestId: envelope.metadata.requestId ?? envelope.id });
            await sagas.wakeForDevice(tx, deviceId);
            return;
          }
          default:
            return;
        }
      },
    });
  }
}
