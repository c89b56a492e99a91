import { type PeerUrls, ServiceCredentials, SubgraphClient, peerUrl } from '@cloudphone/subgraph-kit';
import { type DynamicModule, Global, Module } from '@nestjs/common';

import { PlacementClient } from './placement/placement.client.js';

/** Client of the users subgraph: createDevice checks the owner and copies name and e-mail. */
export const USERS_CLIENT = Symbol('USERS_CLIENT');

@Global()
@Module({})
export class PeersModule {
  static register(peers: PeerUrls): DynamicModule {
    return {
      module: PeersModule,
      providers: [
        { provide: USERS_CLIENT, useFactory: (credentials: ServiceCredentials) => new SubgraphClient('users', peerUrl(peers, 'users'), credentials), inject: [ServiceCredentials] },
        // createDevice places the device on a node through the scheduler before writing it.
        { provide: PlacementClient, useFactory: (credentials: ServiceCredentials) => new PlacementClient(new SubgraphClient('scheduler', peerUrl(peers, 'scheduler'), credentials)), inject: [ServiceCredentials] },
      ],
      exports: [USERS_CLIENT, PlacementClient],
    };
  }
}
