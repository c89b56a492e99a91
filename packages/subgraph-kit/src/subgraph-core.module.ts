import { type ArgumentsHost, Catch, type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { DatabaseModule } from './database.module.js';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';
import { Outbox, unpublishedCount } from '@cloudphone/events';
import { ServiceMetrics } from '@cloudphone/observability';
import { DATA_CHANGES, DataChangeAnnouncer, EVENT_TRANSPORT, OutboxRelayService, SERVICE_NAME } from './events.module.js';
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
 * publishes it, the announcer of its data changes, the credentials it calls its peers with, the
 * `/health` and `/ready` probes, and its `/metrics` (one registry per
 * subgraph app, so each subgraph thread serves its own).
 */
@Global()
@Module({})
export class SubgraphCoreModule {
  static forSubgraph(service: string, runtime: SubgraphRuntime, options: SubgraphGraphQLOptions = {}): DynamicModule {
    const metrics = new ServiceMetrics(service);
    const { database } = runtime;
    // Background connection: a scrape is no statement of any request.
    if (database.kind !== 'none') metrics.watchOutboxBacklog(() => unpublishedCount(database.background));
    return {
      module: SubgraphCoreModule,
      imports: [DatabaseModule.forDatabase(database), subgraphGraphQLModule(service, runtime.assertions, { metrics, logger: runtime.logger }, options)],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: ServiceMetrics, useValue: metrics },
        { provide: APP_FILTER, useClass: PassThroughGraphQLErrors },
        { provide: SERVICE_NAME, useValue: service },
        { provide: EVENT_TRANSPORT, useValue: runtime.transport },
        { provide: DATA_CHANGES, useValue: runtime.dataChanges },
        DataChangeAnnouncer,
        { provide: Outbox, useValue: new Outbox(service) },
        { provide: ServiceCredentials, useValue: new ServiceCredentials(service, runtime.assertions) },
        OutboxRelayService,
      ],
      exports: [EVENT_TRANSPORT, Outbox, OutboxRelayService, DataChangeAnnouncer, SERVICE_NAME, ServiceCredentials, ServiceMetrics],
    };
  }
}
