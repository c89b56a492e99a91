import { useSyncExternalStore } from 'react';

/** A signed-in console session: the gateway's tokens and who they belong to. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  userId: string;
  displayName: string;
  roles: string[];
}

/** Why the last session ended, for the sign-in page to say. */
export type SignOutReason = 'signed-out' | 'expired';

// Kept per tab (sessionStorage): a reload keeps the tab signed in, closing it forgets the tokens, and two
// tabs never share one refresh token (refresh tokens work once; presenting a used one ends the login).
const STORAGE_KEY = 'cloudphone.console.session';

function readStored(): Session | null {
  const stored = sessionStorage.getItem(STORAGE_KEY);
  if (stored === null) return null;
  try {
    return JSON.parse(stored) as Session;
  } catch {
    sessionStorage.removeItem(STORAGE_KEY);
    return null;
  }
}

let current: Session | null = readStored();
let lastSignOut: SignOutReason | null = null;
const listeners = new Set<() => void>();

function announce(): void {
  for (const listener of listeners) listener();
}

export function currentSession(): Session | null {
  return current;
}

export function signedOutBecause(): SignOutReason | null {
  return lastSignOut;
}

export function startSession(session: Session): void {
  current = session;
  lastSignOut = null;
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  announce();
}

export function endSession(reason: SignOutReason): void {
  if (current === null) return;
  current = null;
  lastSignOut = reason;
  sessionStorage.removeItem(STORAGE_KEY);
  announce();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The session as React state: components re-render when it starts or ends. */
export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, currentSession);
}

export function isAdmin(session: Pick<Session, 'roles'>): boolean {
  return session.roles.includes('ADMIN') || session.roles.includes('SUPER_ADMIN');
}
