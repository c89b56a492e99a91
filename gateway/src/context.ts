import type { ConnectionIdentity } from './subscriptions/connection-authorizer.js';

/** The gateway's per-request context, passed to data sources. */
export interface GatewayContext {
  requestId: string;
  [key: string]: unknown;
}

/** A subscription's context: the request id and the identity its connection was accepted with. */
export interface SubscriptionContext extends GatewayContext {
  identity: ConnectionIdentity;
}
