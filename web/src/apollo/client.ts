import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache, ServerError } from '@apollo/client';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition, relayStylePagination } from '@apollo/client/utilities';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { endSession } from '../session/session';
import { type SocketStateStore, createSocketStateStore } from './socket-state';

// The gateway's close codes for a connection whose token is missing or invalid (4403) or was revoked (4401).
const CLOSED_FOR_TOKEN = new Set([4401, 4403]);

/** The console's own origin: the console server proxies /graphql (HTTP and WebSocket) to the gateway. */
function graphqlUrl(protocol: 'http' | 'ws'): string {
  const secure = window.location.protocol === 'https:';
  return `${protocol}${secure ? 's' : ''}://${window.location.host}/graphql`;
}

function unauthenticated(error: unknown): boolean {
  if (CombinedGraphQLErrors.is(error)) return error.errors.some((entry) => entry.extensions?.['code'] === 'UNAUTHENTICATED');
  return ServerError.is(error) && error.statusCode === 401;
}

export interface ConsoleClient {
  apollo: ApolloClient;
  socketState: SocketStateStore;
  /** Closes the WebSocket and drops the cache (the session ended). */
  dispose(): void;
}

/**
 * One client per session: queries and mutations over HTTP, subscriptions over graphql-ws, the access
 * token on both. A new session gets a new client, so no cached data or socket outlives its token.
 */
export function createConsoleClient(accessToken: string | undefined): ConsoleClient {
  const authorization = accessToken === undefined ? undefined : `Bearer ${accessToken}`;
  const socketState = createSocketStateStore();
  const socket = createClient({
    url: graphqlUrl('ws'),
    connectionParams: authorization === undefined ? {} : { authorization },
    lazy: true,
    on: {
      connecting: () => socketState.set('connecting'),
      connected: () => socketState.set('live'),
      closed: (event) => {
        socketState.set('closed');
        if (CLOSED_FOR_TOKEN.has((event as CloseEvent).code)) endSession('expired');
      },
    },
  });
  // An expired or revoked token sends the operator back to the sign-in page, which says why.
  const signOutWhenRefused = new ErrorLink(({ error }) => {
    if (unauthenticated(error)) endSession('expired');
  });
  const transport = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === OperationTypeNode.SUBSCRIPTION;
    },
    new GraphQLWsLink(socket),
    new HttpLink({ uri: graphqlUrl('http'), headers: authorization === undefined ? {} : { authorization } }),
  );
  const apollo = new ApolloClient({
    link: ApolloLink.from([signOutWhenRefused, transport]),
    cache: new InMemoryCache({
      typePolicies: {
        // Relay connections paged by cursor: fetchMore({ after }) appends the next page to the same list,
        // one list per filter and order.
        Query: { fields: { devices: relayStylePagination(['filter', 'orderBy']), orders: relayStylePagination(['filter', 'orderBy']) } },
        User: { fields: { notifications: relayStylePagination(['unreadOnly']) } },
      },
    }),
  });
  return {
    apollo,
    socketState,
    dispose: () => {
      void socket.dispose();
      apollo.stop();
      void apollo.clearStore();
    },
  };
}
