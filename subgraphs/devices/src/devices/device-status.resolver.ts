import { mapAsyncIterator } from '@cloudphone/events';
import { parseOptionalId } from '@cloudphone/subgraph-kit';
import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import { DeviceStatusStream } from './device-status.stream.js';
import { DevicesRepository } from './devices.repository.js';
import { toDevice } from './devices.service.js';
import type { DeviceStatus } from './models/device.model.js';
import { DeviceStatusEvent } from './models/device-status-event.model.js';

@Resolver(() => DeviceStatusEvent)
export class DeviceStatusResolver {
  constructor(
    private readonly stream: DeviceStatusStream,
    private readonly repository: DevicesRepository,
  ) {}

  @Subscription(() => DeviceStatusEvent, {
    description: 'Every status change of one device, or of one user\'s devices, or of all devices (no argument), as it happens.',
    resolve: (event: DeviceStatusEvent) => event,
  })
  deviceStatusChanged(
    @Args('deviceId', { type: () => ID, nullable: true, description: 'Only this device.' }) deviceId: string | null,
    @Args('userId', { type: () => ID, nullable: true, description: "Only this user's devices." }) userId: string | null,
  ): AsyncIterableIterator<DeviceStatusEvent> {
    const filter = { deviceId: parseOptionalId(deviceId, 'deviceId'), userId: parseOptionalId(userId, 'userId') };
    // Each event reads the device afresh: a long-lived subscription must not serve cached rows.
    return mapAsyncIterator(this.stream.subscribe(filter), async (change) => {
      const [row] = await this.repository.findByIds([change.data.deviceId]);
      if (!row) return undefined;
      return {
        device: toDevice(row),
        previousStatus: change.data.previousStatus as DeviceStatus,
        status: change.data.status as DeviceStatus,
        occurredAt: new Date(change.data.changedAt),
      };
    });
  }
}
