import { type SubgraphProcessSettings, readSubgraphProcessSettings } from '@cloudphone/config';

export type BillingConfig = SubgraphProcessSettings;

/** The billing subgraph's reader of the environment; fails at boot on a bad value. */
export function loadBillingConfig(env: Record<string, string | undefined> = process.env): BillingConfig {
  return readSubgraphProcessSettings('billing', 4004, { users: 'http://127.0.0.1:4001/graphql', devices: 'http://127.0.0.1:4002/graphql' }, env);
}
