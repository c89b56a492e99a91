import type { SeedPlan, SubgraphDatabase } from '@cloudphone/db';
import type { EventTransport, RoutingKey } from '@cloudphone/events';
import type { IdentityAssertions } from '@cloudphone/identity';
import type { Logger } from '@cloudphone/observability';
import type { DataChangeChannel } from '@cloudphone/data-changes';
import type { RevocationChannel } from '@cloudphone/revocation';
import type { DynamicModule } from '@nestjs/common';

/** URLs of the other subgraphs a subgraph calls directly (by service name). */
export type PeerUrls = Readonly<Record<string, string>>;

/** The cache every replica shares: Redis when `url` is set, else a copy per process with changes announced in process. */
export interface SharedCacheSettings {
  readonly url: string | undefined;
  /** Key and channel prefix (`<namespace>:config:*`): one per deployment, or per stack in tests. */
  readonly namespace: string;
}

/** What a subgraph's root module is built from. */
export interface SubgraphRuntime {
  readonly database: SubgraphDatabase;
  readonly peers: PeerUrls;
  readonly transport: EventTransport;
  /** Verifies the identity of every request and signs this subgraph's own calls (INTERNAL_AUTH_SECRET). */
  readonly assertions: IdentityAssertions;
  /** Where access-token revocations are announced to the gateways (Redis, or in process when embedded). */
  readonly revocations: RevocationChannel;
  /** Where this subgraph announces that its data changed, for the gateways' subgraph cache (Redis, or in process when embedded). */
  readonly dataChanges: DataChangeChannel;
  /** The shared cache (system configuration): Redis, or in process when embedded. */
  readonly cache: SharedCacheSettings;
  /** JSON lines at the host's LOG_LEVEL: Nest's own, and unexpected errors with their request id. */
  readonly logger: Logger;
}

/**
 * What the launcher, the test harness and the schema tools need to know of a
 * subgraph, so they treat all subgraphs alike.
 */
export interface SubgraphDefinition<TSeed> {
  readonly name: string;
  /** drizzle-kit's output folder for this subgraph. */
  readonly migrationsFolder: string;
  /** Services this subgraph calls directly. */
  readonly peers: readonly string[];
  /** Routing keys this subgraph writes to its outbox, and the keys it consumes. */
  readonly events: { publishes: readonly RoutingKey[]; consumes: readonly RoutingKey[] };
  rootModule(runtime: SubgraphRuntime): DynamicModule;
  /** Loads demo or test data; called only on an empty database. */
  seed(database: SubgraphDatabase, data: TSeed): Promise<void>;
  /** The tables `seed` fills, in order, and what it derives: `npm run seed` copies a seed in bulk by it. */
  readonly seedPlan: SeedPlan<TSeed>;
  hasData(database: SubgraphDatabase): Promise<boolean>;
}

export function peerUrl(peers: PeerUrls, service: string): string {
  const url = peers[service];
  if (url === undefined || url === '') throw new Error(`no URL configured for the ${service} subgraph`);
  return url;
}
