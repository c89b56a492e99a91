import { AppError } from '@cloudphone/errors';
import { SignJWT, jwtVerify } from 'jose';
import { claimsOf, principalFromClaims } from './claims.js';
import type { Principal } from './principal.js';

/** The header that carries the signed identity from the gateway (or a calling subgraph) to a subgraph. */
export const IDENTITY_HEADER = 'x-cloudphone-identity';

const ALGORITHM = 'HS256';
const AUDIENCE = 'cloudphone-subgraphs';
/** Long enough for a request's slowest fetch, short enough that a captured header soon stops working. */
const LIFETIME_SECONDS = 60;
/** Verified assertions kept for reuse (the same header arrives for every fetch of a request). */
const VERIFIED_CACHE_SIZE = 10_000;

const unauthenticated = (internalMessage: string) =>
  new AppError('UNAUTHENTICATED', 'This service only answers requests that come through the gateway', { internalMessage });

/**
 * Signs and verifies the identity that travels inside the platform: the
 * gateway signs the principal it verified, a subgraph signs its own service
 * principal for peer calls, and every subgraph verifies before doing
 * anything. HMAC with one secret shared by the gateway and the subgraphs
 * (INTERNAL_AUTH_SECRET): whoever lacks it can neither call a subgraph nor
 * forge or alter an identity.
 */
export class IdentityAssertions {
  private readonly key: Uint8Array;
  private readonly verified = new Map<string, { principal: Principal; expiresAt: number }>();
  private readonly ownAssertions = new Map<string, { token: string; renewAt: number }>();

  constructor(secret: string) {
    if (Buffer.byteLength(secret) < 32) throw new Error('the internal auth secret must be at least 32 bytes');
    this.key = new TextEncoder().encode(secret);
  }

  /** An assertion of `principal`, issued by `issuer` (gateway or a service name). */
  async sign(principal: Principal, issuer: string, now = Date.now()): Promise<string> {
    const issuedAt = Math.floor(now / 1000);
    return new SignJWT({ ...claimsOf(principal) })
      .setProtectedHeader({ alg: ALGORITHM })
      .setIssuer(issuer)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + LIFETIME_SECONDS)
      .sign(this.key);
  }

  /**
   * The same principal signed once and reused until half its lifetime is
   * spent: for a service's own identity, which never changes.
   */
  async signReusable(principal: Principal, issuer: string, now = Date.now()): Promise<string> {
    const cacheKey = `${issuer}\u0000${principal.kind}\u0000${principal.service ?? principal.userId ?? ''}`;
    const cached = this.ownAssertions.get(cacheKey);
    if (cached && cached.renewAt > now) return cached.token;
    const token = await this.sign(principal, issuer, now);
    this.ownAssertions.set(cacheKey, { token, renewAt: now + (LIFETIME_SECONDS * 1000) / 2 });
    return token;
  }

  /** The principal of a header value; UNAUTHENTICATED when missing, unsigned, tampered with or expired. */
  async verify(header: string | string[] | undefined, now = Date.now()): Promise<Principal> {
    if (typeof header !== 'string' || header === '') throw unauthenticated('no identity assertion');
    const cached = this.verified.get(header);
    if (cached && cached.expiresAt > now) return cached.principal;
    let payload;
    try {
      ({ payload } = await jwtVerify(header, this.key, { algorithms: [ALGORITHM], audience: AUDIENCE, currentDate: new Date(now) }));
    } catch (error) {
      throw unauthenticated(`identity assertion refused: ${(error as Error).message}`);
    }
    const principal = principalFromClaims(payload);
    if (!principal) throw unauthenticated('identity assertion without a valid principal');
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
    this.verified.set(header, { principal, expiresAt: (payload.exp ?? 0) * 1000 });
    return principal;
  }
}
