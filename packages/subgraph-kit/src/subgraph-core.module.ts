import type { SubgraphDatabase } from '@cloudphone/db';
import type { EventTransport } from '@cloudphone/events';
import { type ArgumentsHost, Catch, type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { DatabaseModule } from './database.module.js';
import { Outbox } from '@cloudphone/events';
import { EVENT_TRANSPORT, OutboxRelayService, SERVICE_NAME } from './events.module.js';
import { type SubgraphGraphQLOptions, subgraphGraphQLModule } from './graphql-module.js';

/**
 * Hands every resolver error to Apollo untouched: the error formatter maps it
 * to the public shape and logs only unexpected ones (Nest would log them all).
 */
@Catch()
export class PassThroughGraphQLErrors implements GqlExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): unknown {
    return exception;
  }
}

/**
 * What every subgraph's root module imports: its database, the federated
 * GraphQL module, the error filter, the event transport, its outbox writer
 * and the relay that publishes it.
 */
@Global()
@Module({})
export class SubgraphCoreModule {
  static forSubgraph(service: string, database: SubgraphDatabase, transport: EventTransport, options: SubgraphGraphQLOptions = {}): DynamicModule {
    return {
      module: SubgraphCoreModule,
      imports: [DatabaseModule.forDatabase(database), subgraphGraphQLModule(service, options)],
      providers: [
        { provide: APP_FILTER, useClass: PassThroughGraphQLErrors },
        { provide: SERVICE_NAME, useValue: service },
        { provide: EVENT_TRANSPORT, useValue: transport },
        { provide: Outbox, useValue: new Outbox(service) },
        OutboxRelayService,
      ],
      exports: [EVENT_TRANSPORT, Outbox, OutboxRelayService, SERVICE_NAME],
    };
  }
}
