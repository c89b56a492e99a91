import { useSyncExternalStore } from 'react';

/** A signed-in console session: the gateway's tokens and who they belong to. */
export interface Session {
  accessToken: string;
  /** ISO time the access token stops working: it is renewed before then (see refresh.ts). */
  accessTokenExpiresAt: string;
  refreshToken: string;
  userId: string;
  displayName: string;
  roles: string[];
  /** When this sign-in happened: renewed tokens keep it, so one sign-in keeps one client and cache. */
  signedInAt: number;
}

/** The tokens a refresh replaces. */
export type SessionTokens = Pick<Session, 'accessToken' | 'accessTokenExpiresAt' | 'refreshToken'>;

/** Why the last session ended, for the sign-in page to say. */
export type SignOutReason = 'signed-out' | 'expired';

// Kept per tab (sessionStorage): a reload keeps the tab signed in, closing it forgets the tokens, and two
// tabs never share one refresh token (refresh tokens work once; presenting a used one ends the login).
const STORAGE_KEY = 'cloudphone.console.session';

function readStored(): Session | null {
  const stored = sessionStorage.getItem(STORAGE_KEY);
  if (stored === null) return null;
  try {
    const session = JSON.parse(stored) as Partial<Session>;
    // A session stored by an older console lacks what renewing needs: signing in again is simpler than guessing.
    if (typeof session.accessTokenExpiresAt !== 'string' || typeof session.signedInAt !== 'number') throw new Error('incomplete session');
    return session as Session;
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

export function startSession(session: Omit<Session, 'signedInAt'>): void {
  current = { ...session, signedInAt: Date.now() };
  lastSignOut = null;
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(current));
  announce();
}

/** New tokens for the same sign-in (the refresh token used is spent: only the new one works from now on). */
export function renewTokens(tokens: SessionTokens): void {
  if (current === null) return;
  current = { ...current, ...tokens };
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(current));
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
