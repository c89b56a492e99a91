import type { ApolloClient } from '@apollo/client';
import { REFRESH_SESSION } from '../operations/documents';
import { type Session, currentSession, renewTokens } from './session';

/** Renewed this long before the access token expires (it lives 15 minutes), or at half its life left if that is later (short-lived tokens). */
const RENEW_BEFORE_EXPIRY_MS = 60_000;
/** After a failure that may pass (the network, a gateway restarting), tried again this soon. */
const RETRY_MS = 5_000;

function renewDelay(session: Session, now = Date.now()): number {
  const left = Date.parse(session.accessTokenExpiresAt) - now;
  return Math.max(0, left - RENEW_BEFORE_EXPIRY_MS, left / 2);
}

/**
 * Keeps a signed-in console signed in: renews the tokens before the access token expires, then tells
 * `renewed` (the live socket reconnects with the new token). A refused refresh (the session was ended
 * or revoked) signs the console out. Returns a stop function.
 */
export function keepSessionFresh(apollo: ApolloClient, renewed: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const schedule = (delay: number) => {
    if (!stopped) timer = setTimeout(() => void renew(), delay);
  };
  const renew = async () => {
    const session = currentSession();
    if (session === null || stopped) return;
    try {
      // Sent without the access token: it may be about to expire, and refreshSession needs none.
      const { data } = await apollo.mutate({ mutation: REFRESH_SESSION, variables: { refreshToken: session.refreshToken }, context: { anonymous: true } });
      if (!data || stopped) return;
      renewTokens(data.refreshSession);
      renewed();
      const next = currentSession();
      if (next !== null) schedule(renewDelay(next));
    } catch {
      // A refused refresh has already signed the console out (the client's error link): nothing left to renew.
      // Anything else (the network, a gateway restarting) may pass.
      if (currentSession() !== null) schedule(RETRY_MS);
    }
  };
  const session = currentSession();
  if (session !== null) schedule(renewDelay(session));
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
