import { type DynamicModule, Global, Module } from '@nestjs/common';
import { FileSinkProvider } from './file-sink.provider.js';
import { NOTIFICATION_PROVIDER, type NotificationProvider } from './notification-provider.js';

export interface DeliveryOptions {
  /** The development sink file, used when no provider is given. */
  sinkFile: string;
  /** A provider to use instead of the file sink (a real gateway, or a test double). */
  provider?: NotificationProvider | undefined;
}

/** Provides the EMAIL/SMS provider to the whole subgraph. */
@Global()
@Module({})
export class DeliveryModule {
  static register(options: DeliveryOptions): DynamicModule {
    return {
      module: DeliveryModule,
      providers: [{ provide: NOTIFICATION_PROVIDER, useValue: options.provider ?? new FileSinkProvider(options.sinkFile) }],
      exports: [NOTIFICATION_PROVIDER],
    };
  }
}
