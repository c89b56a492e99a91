import { type PeerUrls, ServiceCredentials, SubgraphClient, peerUrl } from '@cloudphone/subgraph-kit';
import { type DynamicModule, Global, Module } from '@nestjs/common';

/** Client of the devices subgraph: the reservation sweep asks whether a device exists before expiring its reservation. */
export const DEVICES_CLIENT = Symbol('DEVICES_CLIENT');

@Global()
@Module({})
export class PeersModule {
  static register(peers: PeerUrls): DynamicModule {
    return {
      module: PeersModule,
      providers: [{ provide: DEVICES_CLIENT, useFactory: (credentials: ServiceCredentials) => new SubgraphClient('devices', peerUrl(peers, 'devices'), credentials), inject: [ServiceCredentials] }],
      exports: [DEVICES_CLIENT],
    };
  }
}
