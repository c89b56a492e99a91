import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache, ServerError } from '@apollo/client';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition, relayStylePagination } from '@apollo/client/utilities';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { currentSession, endSession } from '../session/session';
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
  /** Reconnects the live socket (subscriptions resume on it) with the session's current token, after a renewal. */
  restartSocket(): void;
  /** Closes the WebSocket and drops the cache (the session ended). */
  dispose(): void;
}

/** The current session's access token as an Authorization value, if signed in. */
function authorization(): string | undefined {
  const session = currentSession();
  return session === null ? undefined : `Bearer ${session.accessToken}`;
}

// The close code the console uses to reconnect on purpose: not fatal to graphql-ws, so it retries at once.
const CLIENT_RESTART = 4205;

/**
 * One client per sign-in: queries and mutations over HTTP, subscriptions over graphql-ws. Each request
 * carries the session's current access token (renewed tokens apply at once; `context.anonymous` sends
 * none), and the socket connects with it. A new sign-in gets a new client, so no cached data or socket
 * outlives it.
 */
export function createConsoleClient(): ConsoleClient {
  const socketState = createSocketStateStore();
  let openSocket: WebSocket | undefined;
  let restarting = false;
  let connectedBefore = false;
  let apollo: ApolloClient | undefined;
  const socket = createClient({
    url: graphqlUrl('ws'),
    // Read at every (re)connection: a restart after a renewal presents the new token.
    connectionParams: () => {
      const value = authorization();
      return value === undefined ? {} : { authorization: value };
    },
    lazy: true,
    // A deliberate restart reconnects at once; other losses back off as graphql-ws does.
    retryWait: async (retries) => {
      if (restarting) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000 * 2 ** retries, 10_000) + Math.random() * 1_000));
    },
    on: {
      opened: (opened) => {
        openSocket = opened as WebSocket;
      },
      connecting: () => socketState.set('connecting'),
      connected: () => {
        socketState.set('live');
        restarting = false;
        // Events sent while the socket was down are not replayed: what the pages show is read again.
        if (connectedBefore) void apollo?.refetchQueries({ include: 'active' });
        connectedBefore = true;
      },
      closed: (event) => {
        openSocket = undefined;
        socketState.set('closed');
        if (CLOSED_FOR_TOKEN.has((event as CloseEvent).code)) endSession('expired');
      },
    },
  });
  // An expired or revoked token sends the operator back to the sign-in page, which says why.
  const signOutWhenRefused = new ErrorLink(({ error }) => {
    if (unauthenticated(error)) endSession('expired');
  });
  const withToken = new ApolloLink((operation, forward) => {
    const value = operation.getContext()['anonymous'] === true ? undefined : authorization();
    if (value !== undefined) operation.setContext(({ headers }: { headers?: Record<string, string> }) => ({ headers: { ...headers, authorization: value } }));
    return forward(operation);
  });
  const transport = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === OperationTypeNode.SUBSCRIPTION;
    },
    new GraphQLWsLink(socket),
    new HttpLink({ uri: graphqlUrl('http') }),
  );
  apollo = new ApolloClient({
    link: ApolloLink.from([signOutWhenRefused, withToken, transport]),
    cache: new InMemoryCache({
      typePolicies: {
        // Relay connections paged by cursor: fetchMore({ after }) appends the next page to the same list,
        // one list per filter and order.
        Query: { fields: { devices: relayStylePagination(['filter', 'orderBy']), orders: relayStylePagination(['filter', 'orderBy']) } },
        User: { fields: { notifications: relayStylePagination(['unreadOnly']) } },
      },
    }),
  });
  const client = apollo;
  return {
    apollo: client,
    socketState,
    restartSocket: () => {
      if (openSocket === undefined) return;
      restarting = true;
      openSocket.close(CLIENT_RESTART, 'Token renewed');
    },
    dispose: () => {
      void socket.dispose();
      client.stop();
      void client.clearStore();
    },
  };
}
