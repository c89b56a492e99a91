import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { noteRequestId, withRequestId } from './format.js';
import { REQUEST_ID_HEADER } from './request-id.js';

/**
 * Apollo Server plugin (gateway and subgraphs): stamps the request id on every
 * error, echoes it in a header, and notes it for the log line of an unexpected
 * error. One listener serves every request: it reads the request from its hooks.
 */
export function requestIdPlugin<TContext extends { requestId: string }>(): ApolloServerPlugin<TContext> {
  const listener: GraphQLRequestListener<TContext> = {
    async didEncounterErrors({ errors, contextValue }) {
      noteRequestId(errors, contextValue.requestId);
    },
    async willSendResponse({ response, contextValue }) {
      response.http.headers.set(REQUEST_ID_HEADER, contextValue.requestId);
      if (response.body.kind === 'single' && response.body.singleResult.errors) {
        response.body.singleResult.errors = withRequestId(response.body.singleResult.errors, contextValue.requestId);
      }
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
