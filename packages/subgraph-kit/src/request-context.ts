import { REQUEST_ID_HEADER, requestIdFrom } from '@cloudphone/errors';
import { LoaderRegistry } from './loader-registry.js';

export { REQUEST_ID_HEADER };

/** What every resolver can read from the GraphQL context. */
export interface RequestContext {
  readonly requestId: string;
  /** Data loaders of this request only: a new registry per request, so no data leaks between requests. */
  readonly loaders: LoaderRegistry;
}

export function createRequestContext(headers: Record<string, string | string[] | undefined>): RequestContext {
  return { requestId: requestIdFrom(headers[REQUEST_ID_HEADER]), loaders: new LoaderRegistry() };
}
