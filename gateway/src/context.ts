/** The gateway's per-request context, passed to data sources. */
export interface GatewayContext {
  requestId: string;
  [key: string]: unknown;
}
