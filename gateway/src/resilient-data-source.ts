import { AsyncLocalStorage } from 'node:async_hooks';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { REQUEST_ID_HEADER } from '@cloudphone/errors';
import { IDENTITY_HEADER } from '@cloudphone/identity';
import { activeTraceHeaders } from '@cloudphone/observability';
import type { IdentitySigner } from './auth/identity-signer.js';
import { ServiceFailure, type ServiceGuard } from '@cloudphone/resilience';
import type { GatewayContext } from './context.js';
import type { InflightFetches } from './inflight-fetches.js';
import type { SubgraphCache } from './subgraph-cache.js';
import type { Fetcher } from './subgraph-fetcher.js';

type FetcherInit = Parameters<Fetcher>[1];

const MUTATION = /^\s*mutation\b/;

/** What the fetcher must know of the call under way. */
interface CallScope {
  /** A read: it may be retried, shared with identical reads in flight, and cached. */
  idempotent: boolean;
  /** The principal's cache scope, when the answer may be cached (not for live subscription events). */
  cacheScope: string | undefined;
}

/**
 * A subgraph data source whose every fetch runs under the subgraph's guard:
 * per-attempt timeout, retries for reads only, and a circuit breaker. The
 * request id travels to the subgraph in `x-request-id`, and the request's
 * principal, signed, in `x-cloudphone-identity`. Identical reads in flight
 * share one fetch (`inflight`), and reads may be answered by the subgraph
 * cache (`cache`); a write makes every subgraph's cached answers stale
 * before its answer goes back. A fetch that fails for good (after its
 * retries) is reported to `onFailure`. When `traced`, the fetch carries
 * Apollo's `gateway.fetch` span in `traceparent`, which the subgraph's
 * server span continues.
 */
export class ResilientDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  // What the fetch under way is (a read? cacheable for whom?); set per call, read by the fetcher.
  private readonly call = new AsyncLocalStorage<CallScope>();

  /** `fetchOnce` must read the whole body before resolving (createSubgraphFetcher does), so the timeout covers it. */
  constructor(
    url: string,
    private readonly guard: ServiceGuard,
    private readonly signer: IdentitySigner,
    fetchOnce: Fetcher,
    inflight: InflightFetches,
    onFailure: () => void,
    private readonly traced = false,
    private readonly cache?: SubgraphCache,
    /** Every subgraph of the supergraph: a write may change any of them (sagas, copies). */
    allSubgraphs: readonly string[] = [],
  ) {
    super({ url });
    const failed = (error: unknown): never => {
      onFailure();
      throw error;
    };
    const guarded = (fetchUrl: string, init: FetcherInit, idempotent: boolean) =>
      this.guard
        .execute(
          async ({ signal }) => {
            const response = await fetchOnce(fetchUrl, { ...init, signal } as FetcherInit);
            // 5xx means the service itself failed; other statuses carry GraphQL errors to relay.
            if (response.status >= 500) throw new ServiceFailure(`${this.guard.service} answered HTTP ${response.status}`, response.status);
            return response;
          },
          { idempotent },
        )
        .catch(failed);
    const shared = (fetchUrl: string, init: FetcherInit) => inflight.fetch(fetchUrl, init, () => guarded(fetchUrl, init, true));
    this.fetcher = async (fetchUrl, init) => {
      const call = this.call.getStore() ?? { idempotent: false, cacheScope: undefined };
      if (call.idempotent) {
        // Identical reads in flight share one answer, and a cached current answer saves the fetch.
        if (this.cache && call.cacheScope !== undefined && typeof init?.body === 'string') {
          return this.cache.fetch(this.guard.service, call.cacheScope, fetchUrl, init.body, () => shared(fetchUrl, init));
        }
        return shared(fetchUrl, init);
      }
      // A write always goes out on its own; whatever it changed is not served from the cache once it has answered.
      inflight.newGeneration();
      try {
        return await guarded(fetchUrl, init, false);
      } finally {
        await this.cache?.changedHere(allSubgraphs);
      }
    };
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const context = options.context as Partial<GatewayContext> | undefined;
    const requestId = context?.requestId;
    if (typeof requestId === 'string') options.request.http?.headers.set(REQUEST_ID_HEADER, requestId);
    options.request.http?.headers.set(IDENTITY_HEADER, await this.signer.assertionFor(context));
    // The active span is Apollo's gateway.fetch: executeFetch calls process() inside it, and the await above keeps the context.
    if (this.traced) for (const [name, value] of Object.entries(activeTraceHeaders())) options.request.http?.headers.set(name, value);
  }

  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const idempotent = !MUTATION.test(options.request.query ?? '');
    const context = options.context as Partial<GatewayContext> | undefined;
    // A subscription event's fetches read what the event changed: always from the subgraph.
    const cacheScope = this.cache && context?.principal && context.live !== true ? this.cache.scopeOf(context.principal) : undefined;
    return this.call.run({ idempotent, cacheScope }, () => super.process(options));
  }
}
