import { type DeviceStatusChange, mapAsyncIterator } from '@cloudphone/events';
import { assertAnyAccess, canAccess } from '@cloudphone/identity';
import { type RequestContext, parseOptionalId } from '@cloudphone/subgraph-kit';
import { Args, Context, ID, Resolver, Subscription } from '@nestjs/graphql';
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
    @Context() context: RequestContext,
  ): AsyncIterableIterator<DeviceStatusEvent> {
    const { principal } = context;
    // Refused up front for a caller that reads no device (rather than a stream that never speaks).
    assertAnyAccess(principal, 'device');
    const filter = {
      deviceId: parseOptionalId(deviceId, 'deviceId'),
      userId: parseOptionalId(userId, 'userId'),
      // Only changes of devices in the subscriber's read scope reach it: a USER hears its own, an ADMIN its tenant's.
      visible: (change: DeviceStatusChange) => canAccess(principal, 'device', { userId: change.data.userId, tenantId: change.data.tenantId }),
    };
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
