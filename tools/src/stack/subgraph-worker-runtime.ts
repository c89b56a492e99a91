import 'reflect-metadata';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { openDatabase } from '@cloudphone/db';
import { createTransport, exponentialRetry } from '@cloudphone/events';
import { IdentityAssertions } from '@cloudphone/identity';
import { createLogger, startTracing } from '@cloudphone/observability';
import { createRevocationChannel } from '@cloudphone/revocation';
import { createDataChangeChannel } from '@cloudphone/data-changes';
import { type SubgraphDefinition, createSubgraphApp, printSubgraphSdl, schemaOnlyDatabase, startSubgraph } from '@cloudphone/subgraph-kit';
import type { SubgraphWorkerData, WorkerMessage, WorkerRequest } from './protocol.js';
import { seedIfEmpty } from './seed.js';

/**
 * Finds the code of subgraph `name`: the plain worker imports its package; a
 * bundled worker (see build/bundle-workers.ts) holds one subgraph's code and
 * hands that over.
 */
export type DefinitionSource = (name: string) => Promise<SubgraphDefinition<unknown>>;

type Send = (message: WorkerMessage) => void;

async function print(definitionOf: DefinitionSource, send: Send, name: string, peerNames: string[]): Promise<void> {
  const definition = await definitionOf(name);
  const peers = Object.fromEntries(peerNames.map((peer) => [peer, 'http://127.0.0.1:9/graphql']));
  // Printing runs no query and sends no event: a private in-process channel stands in for the broker.
  const transport = createTransport({ namespace: `schema-print-${randomUUID()}` });
  // Printing serves no request: a throwaway secret verifies nothing.
  const assertions = new IdentityAssertions(randomUUID() + randomUUID());
  const revocations = createRevocationChannel({ redisUrl: undefined, namespace: `schema-print-${randomUUID()}` });
  const dataChanges = createDataChangeChannel({ redisUrl: undefined, namespace: `schema-print-${randomUUID()}` });
  const cache = { url: undefined, namespace: `schema-print-${randomUUID()}` };
  const logger = createLogger({ service: name, level: 'warn' });
  const app = await createSubgraphApp(definition.rootModule({ database: schemaOnlyDatabase(name), peers, transport, assertions, revocations, dataChanges, cache, logger }), logger);
  const sdl = await printSubgraphSdl(app);
  await app.close();
  await revocations.close();
  await dataChanges.close();
  await transport.close();
  send({ type: 'printed', sdl });
}

async function serve(definitionOf: DefinitionSource, port: MessagePort, send: Send, options: Extract<SubgraphWorkerData, { mode: 'serve' }>): Promise<void> {
  const definition = await definitionOf(options.name);
  const logger = createLogger({ service: options.name, level: options.logLevel });
  const tracing = await startTracing(options.name, options.tracesUrl);
  const traced = tracing !== undefined;
  const database = await openDatabase({ service: options.name, target: options.target, migrationsFolder: definition.migrationsFolder, traced });
  const seeded = await seedIfEmpty(definition, database, options.seed);
  const { amqpUrl, namespace, retry } = options.events;
  const transport = createTransport({
    amqpUrl,
    namespace,
    retry: exponentialRetry(retry.maxAttempts, retry.baseMs, retry.factor),
    onError: (error) => logger.warn(`events: ${(error as Error | undefined)?.message ?? 'broker connection lost'}`),
  });
  const assertions = new IdentityAssertions(options.internalSecret);
  const revocations = createRevocationChannel({ redisUrl: options.redisUrl, namespace, onError: (error) => logger.warn(`revocations: ${error.message}`) });
  const dataChanges = createDataChangeChannel({ redisUrl: options.redisUrl, namespace, onError: (error) => logger.warn(`data changes: ${error.message}`) });
  const cache = { url: options.redisUrl, namespace };
  const handle = await startSubgraph(definition.rootModule({ database, peers: options.peers, transport, assertions, revocations, dataChanges, cache, logger }), {
    service: options.name,
    port: options.port,
    host: options.host,
    logger,
    traced,
  });
  port.on('message', (request: WorkerRequest) => {
    if (request.type === 'statements') {
      send({ type: 'reply', id: request.id, value: database.statements.total });
      return;
    }
    if (request.type === 'record-statements') {
      database.statements.recordStatements(request.on);
      send({ type: 'reply', id: request.id, value: null });
      return;
    }
    if (request.type === 'recorded-statements') {
      try {
        send({ type: 'reply', id: request.id, value: database.statements.recordedStatements() });
      } catch (error) {
        send({ type: 'reply-error', id: request.id, message: error instanceof Error ? error.message : String(error) });
      }
      return;
    }
    void (async () => {
      await handle.close();
      await revocations.close();
      await dataChanges.close();
      await transport.close();
      await database.close();
      await tracing?.stop();
      send({ type: 'reply', id: request.id, value: null });
      port.close();
    })();
  });
  send({ type: 'ready', url: handle.url, seeded, databaseKind: database.kind });
}

/** The body of a subgraph worker thread: prints or serves the subgraph its `workerData` names, answering the parent on its port. */
export async function runSubgraphWorker(definitionOf: DefinitionSource): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('a subgraph worker must run in a worker thread');
  const send: Send = (message) => port.postMessage(message);
  const data = workerData as SubgraphWorkerData;
  try {
    if (data.mode === 'print') await print(definitionOf, send, data.name, data.peers);
    else await serve(definitionOf, port, send, data);
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
  }
}
