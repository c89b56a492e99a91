import { type SubgraphProcessSettings, readSubgraphProcessSettings } from '@cloudphone/config';

export type UsersConfig = SubgraphProcessSettings;

/** The users subgraph's reader of the environment; fails at boot on a bad value. */
export function loadUsersConfig(env: Record<string, string | undefined> = process.env): UsersConfig {
  return readSubgraphProcessSettings('users', 4001, {}, env);
}
