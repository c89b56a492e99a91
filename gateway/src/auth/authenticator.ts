import { AppError } from '@cloudphone/errors';
import { ANONYMOUS, type AccessTokenVerifier, type Principal } from '@cloudphone/identity';
import type { RevocationList } from '@cloudphone/revocation';

/** A credential as presented: a bearer access token (API keys join here). */
export type PresentedCredential = { kind: 'none' } | { kind: 'bearer'; token: string };

/** Who a request or connection acts for, and the life of the token that says so (epoch ms; null when anonymous). */
export interface Authenticated {
  readonly principal: Principal;
  readonly issuedAtMs: number;
  readonly expiresAtMs: number | null;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The credential of an HTTP request (`Authorization: Bearer ...`); a malformed header is refused, not ignored. */
export function credentialFromHeaders(headers: Record<string, string | string[] | undefined>): PresentedCredential {
  const authorization = headers['authorization'];
  if (authorization === undefined || authorization === '') return { kind: 'none' };
  const match = typeof authorization === 'string' ? BEARER.exec(authorization) : null;
  if (!match?.[1]) throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <access token>"');
  return { kind: 'bearer', token: match[1] };
}

/**
 * The credential of a WebSocket connection, from `connection_init`'s payload:
 * `{ authorization: "Bearer ..." }` (as the HTTP header) or `{ token }`.
 */
export function credentialFromConnectionParams(params: Readonly<Record<string, unknown>>): PresentedCredential {
  const authorization = params['authorization'] ?? params['Authorization'];
  if (typeof authorization === 'string' && authorization !== '') return credentialFromHeaders({ authorization });
  const token = params['token'];
  if (typeof token === 'string' && token !== '') return { kind: 'bearer', token };
  if (authorization !== undefined || token !== undefined) throw new AppError('UNAUTHENTICATED', 'connection_init carries a credential that is not a string');
  return { kind: 'none' };
}

const ANONYMOUS_CALLER: Authenticated = Object.freeze({ principal: ANONYMOUS, issuedAtMs: 0, expiresAtMs: null });

/**
 * Turns a presented credential into the principal the gateway vouches for:
 * none -> anonymous (the subgraphs open only sign-in to it); a token -> its
 * verified principal, unless revoked; anything invalid, expired, tampered
 * with or revoked -> UNAUTHENTICATED.
 */
export class Authenticator {
  constructor(
    private readonly accessTokens: AccessTokenVerifier,
    private readonly revocations: RevocationList,
  ) {}

  async authenticate(credential: PresentedCredential): Promise<Authenticated> {
    if (credential.kind === 'none') return ANONYMOUS_CALLER;
    const verified = await this.accessTokens.verify(credential.token);
    this.revocations.check(verified);
    return verified;
  }
}
