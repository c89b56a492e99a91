import { AsyncLocalStorage } from 'node:async_hooks';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { REQUEST_ID_HEADER } from '@cloudphone/errors';
import { IDENTITY_HEADER } from '@cloudphone/identity';
import type { IdentitySigner } from './auth/identity-signer.js';
import { ServiceFailure, type ServiceGuard } from '@cloudphone/resilience';
import type { GatewayContext } from './context.js';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherInit = Parameters<Fetcher>[1];

const MUTATION = /^\s*mutation\b/;

/**
 * A subgraph data source whose every fetch runs under the subgraph's guard:
 * per-attempt timeout, retries for reads only, and a circuit breaker. The
 * request id travels to the subgraph in `x-request-id`, and the request's
 * principal, signed, in `x-cloudphone-identity`.
 */
export class ResilientDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  // Whether the fetch under way may be retried; set per call, read by the fetcher.
  private readonly idempotentCall = new AsyncLocalStorage<boolean>();

  constructor(
    url: string,
    private readonly guard: ServiceGuard,
    private readonly signer: IdentitySigner,
  ) {
    super({ url });
    const baseFetcher = this.fetcher;
    this.fetcher = (fetchUrl, init) =>
      this.guard.execute(
        async ({ signal }) => {
          const response = await baseFetcher(fetchUrl, { ...init, signal } as FetcherInit);
          // 5xx means the service itself failed; other statuses carry GraphQL errors to relay.
          if (response.status >= 500) throw new ServiceFailure(`${this.guard.service} answered HTTP ${response.status}`, response.status);
          // The body is read within the attempt: its time counts against the timeout, and the
          // attempt's signal is aborted once the attempt ends.
          const body = await response.text();
          return new Response(body, { status: response.status, statusText: response.statusText, headers: [...response.headers] });
        },
        { idempotent: this.idempotentCall.getStore() ?? false },
      );
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const context = options.context as Partial<GatewayContext> | undefined;
    const requestId = context?.requestId;
    if (typeof requestId === 'string') options.request.http?.headers.set(REQUEST_ID_HEADER, requestId);
    options.request.http?.headers.set(IDENTITY_HEADER, await this.signer.assertionFor(context));
  }

  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const idempotent = !MUTATION.test(options.request.query ?? '');
    return this.idempotentCall.run(idempotent, () => super.process(options));
  }
}
