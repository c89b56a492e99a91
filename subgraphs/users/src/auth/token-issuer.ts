import { type Principal, compilePolicy, signAccessToken } from '@cloudphone/identity';
import type { AuthSettings } from '../config.js';
import type { RolesRepository } from '../roles/roles.repository.js';
import type { SigningKey } from './signing-key.js';

export interface AccessTokenSubject {
  userId: string;
  tenantId: string;
  sessionId: string;
}

/**
 * Signs short-lived access tokens (ES256) that any gateway replica verifies
 * against the JWKS. The token carries the user's roles compiled into one
 * policy (permissions, data scopes, field rules), read when it is issued: a
 * role change reaches the user at its next refresh.
 */
export class TokenIssuer {
  constructor(
    private readonly key: SigningKey,
    private readonly settings: AuthSettings,
    private readonly roles: RolesRepository,
  ) {}

  async issue(subject: AccessTokenSubject, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const { roles, grants } = await this.roles.grantsOf(subject.userId);
    const principal: Principal = { kind: 'user', userId: subject.userId, tenantId: subject.tenantId, roles, policy: compilePolicy(grants), credentialId: subject.sessionId, service: null };
    return signAccessToken(principal, { privateKey: this.key.privateKey, kid: this.key.publicJwk.kid }, { issuer: this.settings.issuer, audience: this.settings.audience, ttlSeconds: this.settings.accessTokenTtlSeconds }, now);
  }

  /** The public keys verifiers accept (JWKS). */
  jwks(): { keys: SigningKey['publicJwk'][] } {
    return { keys: [this.key.publicJwk] };
  }
}
