import { AppError } from '@cloudphone/errors';
import { ANONYMOUS, type AccessTokenVerifier, type Principal } from '@cloudphone/identity';

/** A credential as presented: a bearer access token (API keys join here). */
export type PresentedCredential = { kind: 'none' } | { kind: 'bearer'; token: string };

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

/**
 * Turns a presented credential into the principal the gateway vouches for:
 * none -> anonymous (the subgraphs open only sign-in to it); a token ->
 * its verified principal; anything invalid, expired or tampered with ->
 * UNAUTHENTICATED.
 */
export class Authenticator {
  constructor(private readonly accessTokens: AccessTokenVerifier) {}

  async authenticate(credential: PresentedCredential): Promise<Principal> {
    if (credential.kind === 'none') return ANONYMOUS;
    const verified = await this.accessTokens.verify(credential.token);
    return verified.principal;
  }
}
