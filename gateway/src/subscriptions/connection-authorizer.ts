import type http from 'node:http';

/**
 * Who a WebSocket connection acts for, decided once at `connection_init` and
 * put in the context of every subscription on that connection. Today nothing
 * is enforced; the identity issue fills `subject` and `scopes` from a token and
 * scopes what subscribers may see (and which subscribers may share a fetch).
 */
export interface ConnectionIdentity {
  /** The authenticated subject (a user or API key id); null for an anonymous connection. */
  readonly subject: string | null;
  /** What the subject may read; empty when nothing was granted. */
  readonly scopes: readonly string[];
}

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

export const ANONYMOUS: ConnectionIdentity = Object.freeze({ subject: null, scopes: Object.freeze([]) });

/** The default until the identity issue lands: every connection is accepted, anonymous, and nothing is recorded. */
export const acceptAnonymous: ConnectionAuthorizer = {
  authorize: async () => ANONYMOUS,
};
