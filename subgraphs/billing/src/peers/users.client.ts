import { type RequestContext, SubgraphClient } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { USERS_SUBGRAPH } from './peer-tokens.js';

/** What billing reads of a user from the users subgraph (copied into orders). */
export interface RemoteUser {
  id: string;
  username: string;
  email: string;
  displayName: string;
  version: number;
  /** Copied onto the order, for TENANT data scopes. */
  tenantId: string;
}

const USER_SELECTION = 'id username email displayName version tenantId';

@Injectable()
export class UsersClient {
  constructor(@Inject(USERS_SUBGRAPH) private readonly client: SubgraphClient) {}

  /** The user as the users subgraph has it now; null when there is none. Batched per request. */
  findById(context: RequestContext, id: string): Promise<RemoteUser | null> {
    return context.loaders
      .get<string, RemoteUser | null>('UsersSubgraph.User', (ids) => this.client.fetchEntities<RemoteUser>('User', ids, USER_SELECTION, context.requestId))
      .load(id);
  }
}
