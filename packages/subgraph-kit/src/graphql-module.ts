import { createErrorFormatter, requestIdPlugin } from '@cloudphone/errors';
import { type Logger, type ServiceMetrics, metricsPlugin, unexpectedErrorLog } from '@cloudphone/observability';
import { ApolloFederationDriver, type ApolloFederationDriverConfig } from '@nestjs/apollo';
import type { DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { IdentityAssertions } from '@cloudphone/identity';
import { publicOperationsPlugin } from './public-operations.js';
import { storableTextPlugin } from './storable-text.js';
import { type RequestContext, createRequestContext } from './request-context.js';

/** The federation spec version every subgraph links; composition pins the same in rover.yaml. */
export const FEDERATION_LINK = 'https://specs.apollo.dev/federation/v2.11';
const FEDERATION_IMPORTS = ['@key', '@shareable', '@external', '@requires', '@provides', '@inaccessible', '@tag', '@override'];

interface HttpRequestLike {
  headers: Record<string, string | string[] | undefined>;
}

/** Over HTTP Nest passes `req`; over graphql-ws, the upgrade request is `extra.request`. */
interface ContextSource {
  req?: HttpRequestLike;
  extra?: { request?: HttpRequestLike };
}

export interface SubgraphGraphQLOptions {
  /** Serves the subgraph's Subscription fields over graphql-ws on the same path. */
  subscriptions?: boolean;
  /** Root fields an anonymous caller may use (sign-in and the like); everything else needs an identity. */
  publicRootFields?: readonly string[];
}

/** What the GraphQL module reports to: its metrics, and the log of unexpected errors. */
export interface GraphQLObservers {
  metrics: ServiceMetrics;
  logger: Logger;
}

/** The GraphQL module of a subgraph: federation 2, code first, one error model, per-request context, request metrics. */
export function subgraphGraphQLModule(service: string, assertions: IdentityAssertions, observers: GraphQLObservers, options: SubgraphGraphQLOptions = {}): DynamicModule {
  return GraphQLModule.forRoot<ApolloFederationDriverConfig>({
    driver: ApolloFederationDriver,
    path: '/graphql',
    autoSchemaFile: { federation: { version: 2, importUrl: FEDERATION_LINK, directives: FEDERATION_IMPORTS } },
    buildSchemaOptions: { dateScalarMode: 'isoDate' },
    context: (source: ContextSource): Promise<RequestContext> => createRequestContext((source.req ?? source.extra?.request)?.headers ?? {}, assertions),
    ...(options.subscriptions ? { subscriptions: { 'graphql-ws': true } } : {}),
    formatError: createErrorFormatter(service, unexpectedErrorLog(observers.logger)),
    plugins: [publicOperationsPlugin(options.publicRootFields ?? []), storableTextPlugin(), requestIdPlugin<RequestContext>(), metricsPlugin<RequestContext>(observers.metrics), ApolloServerPluginInlineTraceDisabled()],
    includeStacktraceInErrorResponses: false,
    introspection: true,
  });
}
