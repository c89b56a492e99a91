import { AppError, type ErrorCode, isErrorCode } from '@cloudphone/errors';
import { activeTraceHeaders } from '@cloudphone/observability';
import { ServiceFailure, ServiceGuard } from '@cloudphone/resilience';
import { REQUEST_ID_HEADER } from './request-context.js';
import type { ServiceCredentials } from './service-credentials.js';

interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Codes that say the peer failed, not that the request was wrong: reported as SERVICE_UNAVAILABLE. */
const PEER_FAILURE_CODES: ReadonlySet<ErrorCode> = new Set(['INTERNAL_ERROR', 'SERVICE_UNAVAILABLE', 'UNAUTHENTICATED', 'FORBIDDEN']);

/**
 * Calls another subgraph over HTTP, the way the gateway does: through
 * `_entities`, guarded by timeout, retry (reads only) and a circuit breaker,
 * signed with the calling subgraph's own service identity.
 */
export class SubgraphClient {
  private readonly guard: ServiceGuard;

  constructor(
    readonly service: string,
    private readonly url: string,
    private readonly credentials: ServiceCredentials,
    guard?: ServiceGuard,
  ) {
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

  /**
   * Runs an operation on the peer, e.g. a service-to-service mutation. The
   * peer's answers about the request itself (BAD_USER_INPUT,
   * INSUFFICIENT_CAPACITY, ...) keep their code and message; any other
   * failure is SERVICE_UNAVAILABLE. `idempotent`: the operation is safe to
   * retry (reads, or writes keyed so a repeat changes nothing).
   */
  async execute<TData>(query: string, variables: Record<string, unknown>, requestId: string, options: { idempotent: boolean }): Promise<TData> {
    return this.post<TData>(query, variables, requestId, options.idempotent, true);
  }

  private async post<TData>(query: string, variables: Record<string, unknown>, requestId: string, idempotent: boolean, keepRequestErrors = false): Promise<TData> {
    const identity = await this.credentials.headers();
    const body = await this.guard.execute(
      async ({ signal }) => {
        const response = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [REQUEST_ID_HEADER]: requestId, ...identity, ...activeTraceHeaders() },
          body: JSON.stringify({ query, variables }),
          signal,
        });
        if (response.status >= 500) throw new ServiceFailure(`${this.service} answered HTTP ${response.status}`, response.status);
        return (await response.json()) as GraphQLResponse<TData>;
      },
      { idempotent },
    );
    // The service answered: its GraphQL errors are not transport failures and must not open the circuit.
    const first = body.errors?.[0];
    const code = first?.extensions?.['code'];
    if (keepRequestErrors && first && isErrorCode(code) && !PEER_FAILURE_CODES.has(code)) {
      const field = first.extensions?.['field'];
      throw new AppError(code, first.message, { service: this.service, ...(typeof field === 'string' ? { details: { field } } : {}) });
    }
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
