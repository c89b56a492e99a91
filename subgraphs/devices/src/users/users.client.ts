import type { SubgraphClient } from '@cloudphone/subgraph-kit';
import type { Quota } from '../quotas/quota-rules.js';

/** What createDevice needs to know of the owner, asked of the users subgraph. */
export interface Owner {
  id: string;
  tenantId: string;
  displayName: string;
  email: string;
  status: string;
  version: number;
}

const QUOTA = 'maxDevices maxRunningDevices maxCpuCores maxMemoryMb maxStorageGb status';
const OWNER_AND_QUOTA = `query OwnerAndQuota($representations: [_Any!]!, $userId: ID!) {
  _entities(representations: $representations) { ... on User { id tenantId displayName email status version } }
  quotaOf(userId: $userId) { ${QUOTA} }
}`;
const QUOTA_OF = `query QuotaOf($userId: ID!) { quotaOf(userId: $userId) { ${QUOTA} } }`;

/**
 * The users subgraph as devices sees it: the owner of a new device and the
 * quota a create or start is checked against (`quotaOf`, service to
 * service). Reads: retried, then SERVICE_UNAVAILABLE naming users.
 */
export class UsersClient {
  constructor(private readonly users: SubgraphClient) {}

  /** The owner (its copy fields and status) and its quota, in one request; null for what does not exist. */
  async ownerWithQuota(userId: string, requestId: string): Promise<{ owner: Owner | null; quota: Quota | null }> {
    const data = await this.users.execute<{ _entities: (Owner | null)[]; quotaOf: Quota | null }>(
      OWNER_AND_QUOTA,
      { representations: [{ __typename: 'User', id: userId }], userId },
      requestId,
      { idempotent: true },
    );
    return { owner: data._entities[0] ?? null, quota: data.quotaOf };
  }

  async quotaOf(userId: string, requestId: string): Promise<Quota | null> {
    return (await this.users.execute<{ quotaOf: Quota | null }>(QUOTA_OF, { userId }, requestId, { idempotent: true })).quotaOf;
  }
}
