import type { EventEnvelope } from './envelope.js';
import { LiveStream } from './live-stream.js';
import type { BroadcastSubscription, EventTransport } from './transport.js';

export type DeviceStatusChange = EventEnvelope<'device.status.changed'>;

/**
 * Every device.status.changed this process hears, as a live broadcast (on
 * RabbitMQ, its own exclusive queue), for its subscriptions: the devices
 * subgraph's and the gateway's.
 */
export class DeviceStatusFeed {
  private readonly changes = new LiveStream<DeviceStatusChange>();
  private subscription: BroadcastSubscription | undefined;

  /** `beforeEach` hears of every change before its readers do (the gateway stops sharing reads that started before it). */
  async start(transport: EventTransport, beforeEach?: (change: DeviceStatusChange) => void): Promise<void> {
    this.subscription = await transport.broadcast(['device.status.changed'], (envelope) => {
      if (envelope.type !== 'device.status.changed') return;
      beforeEach?.(envelope);
      this.changes.publish(envelope);
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.cancel();
  }

  /** What the feed holds now: its readers, the changes waiting for slow ones, and its broker queue (RabbitMQ). */
  stats(): { listeners: number; buffered: number; queue: string | undefined } {
    return { listeners: this.changes.subscriberCount, buffered: this.changes.pendingCount, queue: this.subscription?.queue };
  }

  /**
   * Changes of one device and/or of one owner's devices (no filter: all),
   * among those `visible` admits (the subscriber's data scope); a slow
   * reader keeps the latest per device.
   */
  subscribe(filter: { deviceId?: string | undefined; userId?: string | undefined; visible?: (change: DeviceStatusChange) => boolean }): AsyncIterableIterator<DeviceStatusChange> {
    return this.changes.subscribe(
      (change) =>
        (filter.deviceId === undefined || change.data.deviceId === filter.deviceId) &&
        (filter.userId === undefined || change.data.userId === filter.userId) &&
        (filter.visible === undefined || filter.visible(change)),
      (change) => change.data.deviceId,
    );
  }
}
