import { AppError } from '@cloudphone/errors';
import { ANONYMOUS, type AccessTokenVerifier, type Principal } from '@cloudphone/identity';
import type { RevocationList } from '@cloudphone/revocation';
import type { ApiKeyVerifier } from './api-key-verifier.js';

/** A credential as presented: a bearer access token or an API key. */
export type PresentedCredential = { kind: 'none' } | { kind: 'bearer'; token: string } | { kind: 'api-key'; key: string };

/** Who a request or connection acts for, and the life of the token that says so (epoch ms; null when anonymous). */
export interface Authenticated {
  readonly principal: Principal;
  readonly issuedAtMs: number;
  readonly expiresAtMs: number | null;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const API_KEY = /^ApiKey\s+(\S+)\s*$/i;

const refused = (message: string) => new AppError('UNAUTHENTICATED', message);

/**
 * The credential of an HTTP request: `Authorization: Bearer <access token>`,
 * `Authorization: ApiKey <key>` or `x-api-key: <key>`. A malformed header,
 * or two credentials at once, is refused, not ignored.
 */
export function credentialFromHeaders(headers: Record<string, string | string[] | undefined>): PresentedCredential {
  const authorization = headers['authorization'];
  const apiKey = headers['x-api-key'];
  const hasAuthorization = authorization !== undefined && authorization !== '';
  if (apiKey !== undefined && apiKey !== '') {
    if (hasAuthorization) throw refused('Send one credential: an Authorization header or x-api-key, not both');
    if (typeof apiKey !== 'string') throw refused('Send one x-api-key header');
    return { kind: 'api-key', key: apiKey.trim() };
  }
  if (!hasAuthorization) return { kind: 'none' };
  const text = typeof authorization === 'string' ? authorization : '';
  const bearer = BEARER.exec(text)?.[1];
  if (bearer) return { kind: 'bearer', token: bearer };
  const key = API_KEY.exec(text)?.[1];
  if (key) return { kind: 'api-key', key };
  throw refused('The Authorization header must be "Bearer <access token>" or "ApiKey <key>"');
}

/**
 * The credential of a WebSocket connection, from `connection_init`'s payload:
 * `{ authorization: "Bearer ..." | "ApiKey ..." }` or `{ "x-api-key": ... }`
 * (as the HTTP headers), or `{ token }` (an access token).
 */
export function credentialFromConnectionParams(params: Readonly<Record<string, unknown>>): PresentedCredential {
  const authorization = params['authorization'] ?? params['Authorization'];
  const apiKey = params['x-api-key'];
  const token = params['token'];
  for (const value of [authorization, apiKey, token]) {
    if (value !== undefined && typeof value !== 'string') throw refused('connection_init carries a credential that is not a string');
  }
  if (authorization || apiKey) return credentialFromHeaders({ authorization: authorization as string | undefined, 'x-api-key': apiKey as string | undefined });
  if (token) return { kind: 'bearer', token: token as string };
  return { kind: 'none' };
}

const ANONYMOUS_CALLER: Authenticated = Object.freeze({ principal: ANONYMOUS, issuedAtMs: 0, expiresAtMs: null });

/**
 * Turns a presented credential into the principal the gateway vouches for:
 * none -> anonymous (the subgraphs open only sign-in to it); a token or an
 * API key -> its verified principal; anything invalid, expired, revoked or
 * tampered with -> UNAUTHENTICATED. Keys are checked with the users
 * service (cached for at most a second), and both against the revocation
 * list, which hears of a revoked token or key at once.
 */
export class Authenticator {
  constructor(
    private readonly accessTokens: AccessTokenVerifier,
    private readonly revocations: RevocationList,
    private readonly apiKeys: ApiKeyVerifier,
  ) {}

  async authenticate(credential: PresentedCredential, requestId?: string): Promise<Authenticated> {
    switch (credential.kind) {
      case 'none':
        return ANONYMOUS_CALLER;
      case 'bearer': {
        const verified = await this.accessTokens.verify(credential.token);
        this.revocations.check(verified);
        return verified;
      }
      case 'api-key': {
        // A key revoked since the last check is refused at once, not after the check's cache expires.
        const verified = { principal: await this.apiKeys.verify(credential.key, requestId), issuedAtMs: Date.now(), expiresAtMs: null };
        this.revocations.check(verified);
        return verified;
      }
    }
  }
}
