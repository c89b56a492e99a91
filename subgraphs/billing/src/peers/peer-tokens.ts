/** DI tokens of the guarded HTTP clients of the subgraphs billing calls. */
export const USERS_SUBGRAPH = Symbol('USERS_SUBGRAPH');
export const DEVICES_SUBGRAPH = Symbol('DEVICES_SUBGRAPH');

/** The subgraphs billing calls directly; the launcher must pass a URL for each. */
export const BILLING_PEERS = ['users', 'devices'] as const;
