import { type PeerUrls, SubgraphClient, peerUrl } from '@cloudphone/subgraph-kit';
import { type DynamicModule, Global, Module } from '@nestjs/common';

/** DI token of the `SubgraphClient` that calls the devices subgraph. */
export const DEVICES_CLIENT = Symbol('DEVICES_CLIENT');

/** What this subgraph asks the devices subgraph about a device. */
export interface RemoteDevice {
  id: string;
  status: string;
  userId: string;
}

export const REMOTE_DEVICE_SELECTION = 'id status userId';

/** The client of the devices subgraph, built from the peer URLs the subgraph was started with. */
@Global()
@Module({})
export class DevicesClientModule {
  static forPeers(peers: PeerUrls): DynamicModule {
    const url = peerUrl(peers, 'devices');
    return {
      module: DevicesClientModule,
      providers: [{ provide: DEVICES_CLIENT, useFactory: () => new SubgraphClient('devices', url) }],
      exports: [DEVICES_CLIENT],
    };
  }
}
