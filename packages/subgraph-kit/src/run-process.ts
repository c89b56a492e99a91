import type { SubgraphProcessSettings } from '@cloudphone/config';
import { openDatabase, resolveDatabaseTarget } from '@cloudphone/db';
import { createTransport } from '@cloudphone/events';
import { IdentityAssertions, developmentSecretFile, resolveInternalSecret } from '@cloudphone/identity';
import { createRevocationChannel } from '@cloudphone/revocation';
import { startSubgraph } from './bootstrap.js';
import type { SubgraphDefinition } from './subgraph-definition.js';

/** The settings a subgraph process reads (see `readSubgraphProcessSettings`). */
export type SubgraphProcessConfig = SubgraphProcessSettings;

/**
 * Runs one subgraph as its own process (production, docker-compose): opens and
 * migrates its database, serves it, and closes both on SIGINT/SIGTERM.
 */
export async function runSubgraphProcess<TSeed>(definition: SubgraphDefinition<TSeed>, config: SubgraphProcessConfig): Promise<void> {
  const database = await openDatabase({
    service: definition.name,
    target: resolveDatabaseTarget(definition.name, config.databaseUrl, config.dataDir),
    migrationsFolder: definition.migrationsFolder,
  });
  // One namespace for events, revocations and the shared cache, as the stack's subgraph threads use theirs.
  const namespace = config.eventsNamespace;
  const transport = createTransport({ amqpUrl: config.amqpUrl, namespace, onError: (error) => console.error(`${definition.name} events: ${(error as Error | undefined)?.message ?? 'broker connection lost'}`) });
  const assertions = new IdentityAssertions(await resolveInternalSecret({ secret: config.internalAuthSecret, developmentFile: developmentSecretFile(config.dataDir) }));
  const revocations = createRevocationChannel({ redisUrl: config.redisUrl, namespace, onError: (error) => console.error(`${definition.name} revocations: ${error.message}`) });
  const cache = { url: config.redisUrl, namespace };
  const handle = await startSubgraph(definition.rootModule({ database, peers: config.peers, transport, assertions, revocations, cache }), {
    service: definition.name,
    port: config.port,
    host: config.host,
    logLevels: ['log', 'error', 'warn'],
  });
  console.log(`${definition.name} subgraph ready at ${handle.url}`);
  const shutdown = async (): Promise<void> => {
    await handle.close();
    await revocations.close();
    await transport.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}
