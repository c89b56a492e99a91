export * from './config.js';
export * from './gateway.js';
export * from './supergraph.js';
export * from './query-limits.js';
export * from './subscriptions/connection-authorizer.js';
export type { GatewayContext, SubscriptionContext } from './context.js';
export * from './reload-on-hangup.js';
