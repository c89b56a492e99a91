import { DeviceStatusFeed, type EventTransport } from '@cloudphone/events';
import { EVENT_TRANSPORT } from '@cloudphone/subgraph-kit';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

/** The subgraph's device status feed, started and stopped with the app. */
@Injectable()
export class DeviceStatusStream extends DeviceStatusFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(EVENT_TRANSPORT) private readonly transport: EventTransport) {
    super();
  }

  onApplicationBootstrap(): Promise<void> {
    return this.start(this.transport);
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }
}
