import { type ArgumentsHost, Catch, type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { DatabaseModule } from './database.module.js';
import { HealthController } from './health.controller.js';
import { Outbox } from '@cloudphone/events';
import { EVENT_TRANSPORT, OutboxRelayService, SERVICE_NAME } from './events.module.js';
import { type SubgraphGraphQLOptions, subgraphGraphQLModule } from './graphql-module.js';
import { ServiceCredentials } from './service-credentials.js';
import type { SubgraphRuntime } from './subgraph-definition.js';

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
 * GraphQL module (closed to requests without the gateway's signed identity),
 * the error filter, the event transport, its outbox writer and the relay that
 * publishes it, the credentials it calls its peers with, and the
 * `/health` and `/ready` probes.
 */
@Global()
@Module({})
export class SubgraphCoreModule {
  static forSubgraph(service: string, runtime: SubgraphRuntime, options: SubgraphGraphQLOptions = {}): DynamicModule {
    return {
      module: SubgraphCoreModule,
      imports: [DatabaseModule.forDatabase(runtime.database), subgraphGraphQLModule(service, runtime.assertions, options)],
      controllers: [HealthController],
      providers: [
        { provide: APP_FILTER, useClass: PassThroughGraphQLErrors },
        { provide: SERVICE_NAME, useValue: service },
        { provide: EVENT_TRANSPORT, useValue: runtime.transport },
        { provide: Outbox, useValue: new Outbox(service) },
        { provide: ServiceCredentials, useValue: new ServiceCredentials(service, runtime.assertions) },
        OutboxRelayService,
      ],
      exports: [EVENT_TRANSPORT, Outbox, OutboxRelayService, SERVICE_NAME, ServiceCredentials],
    };
  }
}
