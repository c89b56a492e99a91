import { AppError, REQUEST_ID_HEADER, requestIdFrom } from '@cloudphone/errors';
import { IDENTITY_HEADER, type IdentityAssertions, type Principal, servicePrincipal } from '@cloudphone/identity';
import { GraphQLError } from 'graphql';
import { LoaderRegistry } from './loader-registry.js';

export { REQUEST_ID_HEADER };

/** What every resolver can read from the GraphQL context. */
export interface RequestContext {
  readonly requestId: string;
  /** Who the request acts for, verified from the gateway's signed assertion. */
  readonly principal: Principal;
  /** Data loaders of this request only: a new registry per request, so no data leaks between requests or principals. */
  readonly loaders: LoaderRegistry;
}

type Headers = Record<string, string | string[] | undefined>;

/**
 * The context of a request that reached this subgraph: refused with
 * UNAUTHENTICATED (HTTP 401) unless it carries a valid identity assertion
 * signed with the internal secret. Nothing runs before this check, so
 * `_entities`, `_service` and every root field are closed alike.
 */
export async function createRequestContext(headers: Headers, assertions: IdentityAssertions): Promise<RequestContext> {
  const requestId = requestIdFrom(headers[REQUEST_ID_HEADER]);
  try {
    const principal = await assertions.verify(headers[IDENTITY_HEADER]);
    return { requestId, principal, loaders: new LoaderRegistry() };
  } catch (error) {
    const appError = error instanceof AppError ? error : new AppError('UNAUTHENTICATED', 'This service only answers requests that come through the gateway');
    throw new GraphQLError(appError.userMessage, { originalError: appError, extensions: { code: appError.code, http: { status: 401 } } });
  }
}

/** The context of work a subgraph does on its own (event consumers, sweeps, tests of a service). */
export function serviceContext(service: string, requestId: string): RequestContext {
  return { requestId, principal: servicePrincipal(service), loaders: new LoaderRegistry() };
}
