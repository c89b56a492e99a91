import { type PeerUrls, ServiceCredentials, SubgraphClient, peerUrl } from '@cloudphone/subgraph-kit';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DevicesClient } from './devices.client.js';
import { DEVICES_SUBGRAPH, USERS_SUBGRAPH } from './peer-tokens.js';
import { UsersClient } from './users.client.js';

/** Clients of the users and devices subgraphs, for every module; a missing peer URL fails at boot. */
@Global()
@Module({})
export class PeersModule {
  static forPeers(peers: PeerUrls): DynamicModule {
    return {
      module: PeersModule,
      providers: [
        { provide: USERS_SUBGRAPH, useFactory: (credentials: ServiceCredentials) => new SubgraphClient('users', peerUrl(peers, 'users'), credentials), inject: [ServiceCredentials] },
        { provide: DEVICES_SUBGRAPH, useFactory: (credentials: ServiceCredentials) => new SubgraphClient('devices', peerUrl(peers, 'devices'), credentials), inject: [ServiceCredentials] },
        UsersClient,
        DevicesClient,
      ],
      exports: [UsersClient, DevicesClient],
    };
  }
}
