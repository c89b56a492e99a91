import type { Principal } from '@cloudphone/identity';

/** The gateway's per-request context, passed to data sources. */
export interface GatewayContext {
  requestId: string;
  /** Who the request acts for: verified here, passed on signed to every subgraph fetch. */
  principal: Principal;
  /** Set on the fetches that resolve a subscription event: they read what just changed, never from the subgraph cache. */
  live?: boolean;
  [key: string]: unknown;
}

/** A subscription's context: the connection's request id and the principal it was accepted with. */
export type SubscriptionContext = GatewayContext;
