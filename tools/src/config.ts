import path from 'node:path';
import { optionalUrl, parseConfig, port, z } from '@cloudphone/config';
import { REPO_ROOT } from './paths.js';

const schema = z.object({
  DATA_DIR: z.string().default('.data/pglite'),
  GATEWAY_PORT: port(4000),
  HOST: z.string().default('127.0.0.1'),
  SEED: z.enum(['demo', 'none']).default('demo'),
  LOG_LEVEL: z.enum(['quiet', 'verbose']).default('quiet'),
  /** RabbitMQ for events between subgraphs; in process without it. */
  AMQP_URL: optionalUrl,
});

export interface LauncherConfig {
  /** Absolute root of the embedded databases. */
  dataDir: string;
  gatewayPort: number;
  host: string;
  seed: 'demo' | 'none';
  verbose: boolean;
  amqpUrl: string | undefined;
  /** `<SUBGRAPH>_DATABASE_URL` values that are set, by subgraph name. */
  databaseUrls: Record<string, string>;
}

/** The launcher's only reader of the environment (`npm start`, `npm run reset`, `npm run seed`). */
export function loadLauncherConfig(subgraphNames: readonly string[], env: Record<string, string | undefined> = process.env): LauncherConfig {
  const parsed = parseConfig('launcher', schema, env);
  const databaseUrls: Record<string, string> = {};
  for (const name of subgraphNames) {
    const variable = `${name.toUpperCase()}_DATABASE_URL`;
    const url = parseConfig('launcher', z.object({ [variable]: optionalUrl }), { [variable]: env[variable] })[variable] as string | undefined;
    if (url !== undefined) databaseUrls[name] = url;
  }
  return {
    dataDir: path.resolve(REPO_ROOT, parsed.DATA_DIR),
    gatewayPort: parsed.GATEWAY_PORT,
    host: parsed.HOST,
    seed: parsed.SEED,
    verbose: parsed.LOG_LEVEL === 'verbose',
    amqpUrl: parsed.AMQP_URL,
    databaseUrls,
  };
}
