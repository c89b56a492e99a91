import { SignJWT } from 'jose';
import type { AuthSettings } from '../config.js';
import { SIGNING_ALGORITHM, type SigningKey } from './signing-key.js';

export interface AccessTokenSubject {
  userId: string;
  tenantId: string;
  sessionId: string;
}

/** Signs short-lived access tokens (ES256) that any gateway replica verifies against the JWKS. */
export class TokenIssuer {
  constructor(
    private readonly key: SigningKey,
    private readonly settings: AuthSettings,
  ) {}

  async issue(subject: AccessTokenSubject, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = issuedAt + this.settings.accessTokenTtlSeconds;
    const token = await new SignJWT({ tid: subject.tenantId, sid: subject.sessionId })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: this.key.publicJwk.kid, typ: 'at+jwt' })
      .setSubject(subject.userId)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.key.privateKey);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  /** The public keys verifiers accept (JWKS). */
  jwks(): { keys: SigningKey['publicJwk'][] } {
    return { keys: [this.key.publicJwk] };
  }
}
