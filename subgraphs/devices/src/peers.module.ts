import { type PeerUrls, ServiceCredentials, SubgraphClient, peerUrl } from '@cloudphone/subgraph-kit';
import { type DynamicModule, Global, Module } from '@nestjs/common';

import { PlacementClient } from './placement/placement.client.js';
import { UsersClient } from './users/users.client.js';

@Global()
@Module({})
export class PeersModule {
  static register(peers: PeerUrls): DynamicModule {
    return {
      module: PeersModule,
      providers: [
        // createDevice checks the owner and copies name and e-mail; createDevice and startDevice check the owner's quota.
        { provide: UsersClient, useFactory: (credentials: ServiceCredentials) => new UsersClient(new SubgraphClient('users', peerUrl(peers, 'users'), credentials)), inject: [ServiceCredentials] },
        // createDevice places the device on a node through the scheduler before writing it.
        { provide: PlacementClient, useFactory: (credentials: ServiceCredentials) => new PlacementClient(new SubgraphClient('scheduler', peerUrl(peers, 'scheduler'), credentials)), inject: [ServiceCredentials] },
      ],
      exports: [UsersClient, PlacementClient],
    };
  }
}
