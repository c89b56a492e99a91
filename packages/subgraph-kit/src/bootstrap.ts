import type { AddressInfo } from 'node:net';
import { type Logger, serverSpans } from '@cloudphone/observability';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { execute, parse } from 'graphql';
import { NestJsonLogger } from './nest-logger.js';
import { createValidationPipe } from './validation.js';

export interface SubgraphHandle {
  readonly service: string;
  readonly url: string;
  readonly app: INestApplication;
  close(): Promise<void>;
}

export interface StartSubgraphOptions {
  service: string;
  port: number;
  host: string;
  /** The subgraph's logger (its runtime's): Nest's own lines go to it too. */
  logger: Logger;
  /** Tracing is on: each GraphQL request runs in a server span continuing the caller's trace. */
  traced?: boolean;
}

export async function createSubgraphApp(rootModule: DynamicModule, logger: Logger): Promise<INestApplication> {
  // rawBody: webhook controllers (payment callbacks) verify signatures over the exact bytes received.
  const app = await NestFactory.create(rootModule, { logger: new NestJsonLogger(logger), abortOnError: false, bodyParser: true, rawBody: true });
  app.useGlobalPipes(createValidationPipe());
  return app;
}

/** Starts a subgraph's HTTP server; port 0 picks a free port (tests). */
export async function startSubgraph(rootModule: DynamicModule, options: StartSubgraphOptions): Promise<SubgraphHandle> {
  const app = await createSubgraphApp(rootModule, options.logger);
  // Registered before listen, so ahead of the body parser and the routes Nest adds when it initialises.
  if (options.traced) app.use('/graphql', serverSpans('/graphql'));
  await app.listen(options.port, options.host);
  const address = app.getHttpServer().address() as AddressInfo;
  const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return {
    service: options.service,
    url: `http://${host}:${address.port}/graphql`,
    app,
    close: () => app.close(),
  };
}

/** The subgraph SDL with its federation directives, as the gateway and composition see it. */
export async function printSubgraphSdl(app: INestApplication): Promise<string> {
  await app.init();
  const { schema } = app.get(GraphQLSchemaHost);
  const result = await execute({ schema, document: parse('{ _service { sdl } }') });
  const sdl = (result.data as { _service?: { sdl?: string } } | null | undefined)?._service?.sdl;
  if (typeof sdl !== 'string') throw new Error(`could not print the subgraph SDL: ${JSON.stringify(result.errors)}`);
  return sdl;
}
