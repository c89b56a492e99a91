import type { ApolloServerPlugin } from '@apollo/server';
import { withRequestId } from './format.js';
import { REQUEST_ID_HEADER } from './request-id.js';

/** Apollo Server plugin (gateway and subgraphs): stamps the request id on every error and echoes it in a header. */
export function requestIdPlugin<TContext extends { requestId: string }>(): ApolloServerPlugin<TContext> {
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
