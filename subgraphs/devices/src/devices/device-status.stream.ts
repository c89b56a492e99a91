import { type EventEnvelope, type EventTransport, LiveStream, type Subscription } from '@cloudphone/events';
import { EVENT_TRANSPORT } from '@cloudphone/subgraph-kit';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

export type StatusChange = EventEnvelope<'device.status.changed'>;

/** Every device.status.changed this replica hears (a live broadcast), for its subscribers. */
@Injectable()
export class DeviceStatusStream implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly changes = new LiveStream<StatusChange>();
  private subscription: Subscription | undefined;

  constructor(@Inject(EVENT_TRANSPORT) private readonly transport: EventTransport) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.transport.broadcast(['device.status.changed'], (envelope) => {
      if (envelope.type === 'device.status.changed') this.changes.publish(envelope);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.cancel();
  }

  /** Changes of one device and/or of one owner's devices (no argument: all). */
  subscribe(filter: { deviceId?: string | undefined; userId?: string | undefined }): AsyncIterableIterator<StatusChange> {
    return this.changes.subscribe(
      (change) => (filter.deviceId === undefined || change.data.deviceId === filter.deviceId) && (filter.userId === undefined || change.data.userId === filter.userId),
      (change) => change.data.deviceId,
    );
  }
}
