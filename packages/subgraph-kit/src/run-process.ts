import type { SubgraphProcessSettings } from '@cloudphone/config';
import { openDatabase, resolveDatabaseTarget } from '@cloudphone/db';
import { createTransport } from '@cloudphone/events';
import { IdentityAssertions, developmentSecretFile, resolveInternalSecret } from '@cloudphone/identity';
import { createLogger, startTracing } from '@cloudphone/observability';
import { createRevocationChannel } from '@cloudphone/revocation';
import { createDataChangeChannel } from '@cloudphone/data-changes';
import { startSubgraph } from './bootstrap.js';
import type { SubgraphDefinition } from './subgraph-definition.js';

/** The settings a subgraph process reads (see `readSubgraphProcessSettings`). */
export type SubgraphProcessConfig = SubgraphProcessSettings;

/**
 * Runs one subgraph as its own process (production, docker-compose): opens and
 * migrates its database, serves it, and closes both on SIGINT/SIGTERM.
 */
export async function runSubgraphProcess<TSeed>(definition: SubgraphDefinition<TSeed>, config: SubgraphProcessConfig): Promise<void> {
  const logger = createLogger({ service: definition.name, level: config.logLevel });
  const tracing = await startTracing(definition.name, config.tracesUrl);
  const traced = tracing !== undefined;
  const database = await openDatabase({
    service: definition.name,
    target: resolveDatabaseTarget(definition.name, config.databaseUrl, config.dataDir),
    migrationsFolder: definition.migrationsFolder,
    traced,
  });
  // One namespace for events, revocations, data changes and the shared cache, as the stack's subgraph threads use theirs.
  const namespace = config.eventsNamespace;
  const transport = createTransport({ amqpUrl: config.amqpUrl, namespace, onError: (error) => logger.warn(`events: ${(error as Error | undefined)?.message ?? 'broker connection lost'}`) });
  const assertions = new IdentityAssertions(await resolveInternalSecret({ secret: config.internalAuthSecret, developmentFile: developmentSecretFile(config.dataDir) }));
  const revocations = createRevocationChannel({ redisUrl: config.redisUrl, namespace, onError: (error) => logger.warn(`revocations: ${error.message}`) });
  const dataChanges = createDataChangeChannel({ redisUrl: config.redisUrl, namespace, onError: (error) => logger.warn(`data changes: ${error.message}`) });
  const cache = { url: config.redisUrl, namespace };
  const handle = await startSubgraph(definition.rootModule({ database, peers: config.peers, transport, assertions, revocations, dataChanges, cache, logger }), {
    service: definition.name,
    port: config.port,
    host: config.host,
    logger,
    traced,
  });
  // Plain text on stdout whatever the level: launchers wait for this line.
  console.log(`${definition.name} subgraph ready at ${handle.url}`);
  const shutdown = async (): Promise<void> => {
    await handle.close();
    await revocations.close();
    await dataChanges.close();
    await transport.close();
    await database.close();
    await tracing?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}
