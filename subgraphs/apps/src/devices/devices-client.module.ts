import { type PeerUrls, ServiceCredentials, SubgraphClient, peerUrl } from '@cloudphone/subgraph-kit';
import { type DynamicModule, Global, Module } from '@nestjs/common';

/** DI token of the `SubgraphClient` that calls the devices subgraph. */
export const DEVICES_CLIENT = Symbol('DEVICES_CLIENT');

/** What this subgraph asks the devices subgraph about a device. */
export interface RemoteDevice {
  id: string;
  status: string;
  userId: string;
  /** The owner's tenant: copied onto the install, for TENANT data scopes. */
  tenantId: string;
}

export const REMOTE_DEVICE_SELECTION = 'id status userId tenantId';

/** The client of the devices subgraph, built from the peer URLs the subgraph was started with. */
@Global()
@Module({})
export class DevicesClientModule {
  static forPeers(peers: PeerUrls): DynamicModule {
    const url = peerUrl(peers, 'devices');
    return {
      module: DevicesClientModule,
      providers: [{ provide: DEVICES_CLIENT, useFactory: (credentials: ServiceCredentials) => new SubgraphClient('devices', url, credentials), inject: [ServiceCredentials] }],
      exports: [DEVICES_CLIENT],
    };
  }
}
