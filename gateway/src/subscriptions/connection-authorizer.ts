import type http from 'node:http';
import { AppError, REQUEST_ID_HEADER, requestIdFrom } from '@cloudphone/errors';
import { type Authenticated, type Authenticator, credentialFromConnectionParams } from '../auth/authenticator.js';

/**
 * Who a WebSocket connection acts for, decided once at `connection_init` and
 * put in the context of every subscription on that connection: it is signed
 * onto every fetch of its events, and decides which events it receives. The
 * connection ends when its token expires or is revoked.
 */
export type ConnectionIdentity = Authenticated;

/** A refused connection: graphql-ws closes it with 4403 Forbidden; `reason` is logged, never sent. */
export interface ConnectionRefusal {
  readonly refused: string;
}

/**
 * Decides a connection from its `connection_init` payload (the client's
 * `connectionParams`, e.g. a token) and the HTTP upgrade request (headers,
 * remote address). A throw is an internal failure: the connection closes
 * with 4500 and no detail.
 */
export interface ConnectionAuthorizer {
  authorize(connectionParams: Readonly<Record<string, unknown>>, request: http.IncomingMessage): Promise<ConnectionIdentity | ConnectionRefusal>;
}

export function isRefusal(decision: ConnectionIdentity | ConnectionRefusal): decision is ConnectionRefusal {
  return 'refused' in decision;
}

/**
 * The gateway's own decision: the access token or API key in
 * `connection_init`, verified as over HTTP. No credential -> refused (subscriptions are never anonymous);
 * an invalid, expired, revoked or tampered one -> refused; the key source failing ->
 * 4500, so the client retries.
 */
export function tokenAuthorizer(authenticator: Authenticator): ConnectionAuthorizer {
  return {
    authorize: async (params, request) => {
      let identity: Authenticated;
      try {
        identity = await authenticator.authenticate(credentialFromConnectionParams(params), requestIdFrom(request.headers[REQUEST_ID_HEADER]));
      } catch (error) {
        if (error instanceof AppError && error.code === 'UNAUTHENTICATED') return { refused: error.internalMessage };
        throw error;
      }
      if (identity.principal.kind === 'anonymous') return { refused: 'no credential in connection_init' };
      return identity;
    },
  };
}
