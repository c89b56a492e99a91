import { type SubgraphProcessSettings, readSubgraphProcessSettings } from '@cloudphone/config';

export type AppsConfig = SubgraphProcessSettings;

/** The apps subgraph's reader of the environment; fails at boot on a bad value. */
export function loadAppsConfig(env: Record<string, string | undefined> = process.env): AppsConfig {
  return readSubgraphProcessSettings('apps', 4003, { devices: 'http://127.0.0.1:4002/graphql' }, env);
}
