import { AppError } from '@cloudphone/errors';
import { ServiceFailure, ServiceGuard } from '@cloudphone/resilience';
import { REQUEST_ID_HEADER } from './request-context.js';

interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * Calls another subgraph over HTTP, the way the gateway does: through
 * `_entities`, guarded by timeout, retry (reads only) and a circuit breaker.
 */
export class SubgraphClient {
  private readonly guard: ServiceGuard;

  constructor(readonly service: string, private readonly url: string, guard?: ServiceGuard) {
    this.guard = guard ?? new ServiceGuard(service);
  }

  /** Resolves entities by id; a missing entity is null. `selection` lists the fields wanted. */
  async fetchEntities<T>(typename: string, ids: readonly string[], selection: string, requestId: string): Promise<(T | null)[]> {
    if (ids.length === 0) return [];
    const query = `query Entities($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`;
    const representations = ids.map((id) => ({ __typename: typename, id }));
    const response = await this.post<{ _entities: (T | null)[] }>(query, { representations }, requestId, true);
    return response._entities;
  }

  private async post<TData>(query: string, variables: Record<string, unknown>, requestId: string, idempotent: boolean): Promise<TData> {
    const body = await this.guard.execute(
      async ({ signal }) => {
        const response = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [REQUEST_ID_HEADER]: requestId },
          body: JSON.stringify({ query, variables }),
          signal,
        });
        if (response.status >= 500) throw new ServiceFailure(`${this.service} answered HTTP ${response.status}`, response.status);
        return (await response.json()) as GraphQLResponse<TData>;
      },
      { idempotent },
    );
    // The service answered: its GraphQL errors are not transport failures and must not open the circuit.
    if (body.errors?.length || !body.data) {
      throw new AppError('SERVICE_UNAVAILABLE', `The ${this.service} service could not answer`, {
        service: this.service,
        retryable: false,
        internalMessage: `${this.service} errors: ${JSON.stringify(body.errors ?? [])}`,
      });
    }
    return body.data;
  }
}
