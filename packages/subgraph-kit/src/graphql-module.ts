import { createErrorFormatter, withRequestId } from '@cloudphone/errors';
import { ApolloFederationDriver, type ApolloFederationDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Logger } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { REQUEST_ID_HEADER, type RequestContext, createRequestContext } from './request-context.js';

/** The federation spec version every subgraph links; composition pins the same in rover.yaml. */
export const FEDERATION_LINK = 'https://specs.apollo.dev/federation/v2.11';
const FEDERATION_IMPORTS = ['@key', '@shareable', '@external', '@requires', '@provides', '@inaccessible', '@tag', '@override'];

/** Stamps the request id on every error and echoes it in a response header. */
function requestIdPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async willSendResponse({ response }) {
          response.http.headers.set(REQUEST_ID_HEADER, contextValue.requestId);
          if (response.body.kind === 'single' && response.body.singleResult.errors) {
            response.body.singleResult.errors = withRequestId(response.body.singleResult.errors, contextValue.requestId);
          }
        },
      };
    },
  };
}

interface HttpRequestLike {
  headers: Record<string, string | string[] | undefined>;
}

/** The GraphQL module of a subgraph: federation 2, code first, one error model, per-request context. */
export function subgraphGraphQLModule(service: string): DynamicModule {
  const logger = new Logger(`${service}-graphql`);
  return GraphQLModule.forRoot<ApolloFederationDriverConfig>({
    driver: ApolloFederationDriver,
    path: '/graphql',
    autoSchemaFile: { federation: { version: 2, importUrl: FEDERATION_LINK, directives: FEDERATION_IMPORTS } },
    buildSchemaOptions: { dateScalarMode: 'isoDate' },
    context: ({ req }: { req: HttpRequestLike }): RequestContext => createRequestContext(req.headers),
    formatError: createErrorFormatter(service, (entry) => logger.error(entry.message, entry.stack)),
    plugins: [requestIdPlugin(), ApolloServerPluginInlineTraceDisabled()],
    includeStacktraceInErrorResponses: false,
    introspection: true,
  });
}
