import { AppError } from '@cloudphone/errors';
import { type JWTPayload, type JWTVerifyGetKey, SignJWT, createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type CryptoKey, type JSONWebKeySet } from 'jose';
import { claimsOf, principalFromClaims } from './claims.js';
import type { Principal } from './principal.js';

/** The algorithm of access tokens: the users subgraph signs, gateways verify with its public JWKS. */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
}

/** A verified access token: its principal, when it was issued and when it stops being valid (epoch ms). */
export interface VerifiedAccessToken {
  principal: Principal;
  issuedAtMs: number;
  expiresAtMs: number;
}

/** Signs access tokens for a user principal (the users subgraph's side). */
export async function signAccessToken(principal: Principal, key: { privateKey: CryptoKey; kid: string }, settings: AccessTokenSettings & { ttlSeconds: number }, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = issuedAt + settings.ttlSeconds;
  // `ims`: the issue time in milliseconds, so a revocation of "every token until now" does not
  // also catch a token refreshed within the same second after it.
  const token = await new SignJWT({ ...claimsOf(principal), ims: now.getTime() })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(key.privateKey);
  return { token, expiresAt: new Date(expiresAt * 1000) };
}

function refusal(error: unknown): AppError {
  if (error instanceof errors.JWTExpired) return new AppError('UNAUTHENTICATED', 'The access token has expired: refresh the session', { internalMessage: 'expired access token' });
  return new AppError('UNAUTHENTICATED', 'The access token is not valid', { internalMessage: `access token refused: ${(error as Error).message}` });
}

/**
 * Verifies access tokens against the users subgraph's JWKS (fetched and
 * cached by jose, refetched when an unknown `kid` appears, so key rotation
 * needs no restart).
 */
/** Verified tokens kept (about 1 KB each); when full the cache starts over rather than tracking use. */
const VERIFIED_TOKENS_KEPT = 10_000;

export class AccessTokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  /**
   * Tokens verified already, until they expire: an ES256 check costs more
   * than the rest of a small request at the gateway, and a client sends the
   * same token for many. Revocation is checked by the caller on every use,
   * not cached here.
   */
  private readonly verified = new Map<string, VerifiedAccessToken>();

  constructor(
    source: { jwksUrl: string } | { jwks: JSONWebKeySet },
    private readonly settings: AccessTokenSettings,
  ) {
    this.keys = 'jwksUrl' in source ? createRemoteJWKSet(new URL(source.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 }) : createLocalJWKSet(source.jwks);
  }

  /** The token's principal; UNAUTHENTICATED when expired, tampered with, foreign or malformed. */
  async verify(token: string, now = new Date()): Promise<VerifiedAccessToken> {
    const known = this.verified.get(token);
    if (known && known.expiresAtMs > now.getTime()) return known;
    const result = await this.verifySignature(token, now);
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.clear();
    this.verified.set(token, result);
    return result;
  }

  private async verifySignature(token: string, now: Date): Promise<VerifiedAccessToken> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        typ: 'at+jwt',
        currentDate: now,
        requiredClaims: ['exp', 'iat', 'sub'],
      }));
    } catch (error) {
      // The token's fault, or the key source's (timeout, unreachable, broken JWKS): only the first is the client's.
      const keysFailed = !(error instanceof errors.JOSEError) || error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid;
      if (!keysFailed) throw refusal(error);
      throw new AppError('SERVICE_UNAVAILABLE', 'Sign-in keys are unavailable; try again shortly', { service: 'users', internalMessage: `JWKS: ${(error as Error).message}` });
    }
    const principal = principalFromClaims(payload);
    if (principal?.kind !== 'user') throw refusal(new Error('claims are not a user principal'));
    const issuedAtMs = typeof payload['ims'] === 'number' ? payload['ims'] : (payload.iat ?? 0) * 1000;
    return { principal, issuedAtMs, expiresAtMs: (payload.exp ?? 0) * 1000 };
  }
}
