import { type PeerUrls, SubgraphClient, peerUrl } from '@cloudphone/subgraph-kit';
import { type DynamicModule, Global, Module } from '@nestjs/common';

/** Client of the devices subgraph: the reservation sweep asks whether a device exists before expiring its reservation. */
export const DEVICES_CLIENT = Symbol('DEVICES_CLIENT');

@Global()
@Module({})
export class PeersModule {
  static register(peers: PeerUrls): DynamicModule {
    return {
      module: PeersModule,
      providers: [{ provide: DEVICES_CLIENT, useValue: new SubgraphClient('devices', peerUrl(peers, 'devices')) }],
      exports: [DEVICES_CLIENT],
    };
  }
}
