import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '@cloudphone/errors';
import type { RequestContext } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { AUTH_SETTINGS, type AuthSettings } from '../config.js';
import type { SessionRow } from '../database/schema.js';
import type { User } from '../users/models/user.model.js';
import { UsersService, toUser } from '../users/users.service.js';
import type { AuthPayload, LoginInput, RegisterInput } from './models/auth.model.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { AccessRevocations } from './access-revocations.js';
import { SessionsRepository } from './sessions.repository.js';
import { TokenIssuer } from './token-issuer.js';

/** Refresh tokens are 256 random bits; only their SHA-256 is stored. */
function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOf(token) };
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const invalidCredentials = () => new AppError('UNAUTHENTICATED', 'Invalid e-mail or password');
const invalidSession = (reason: string) => new AppError('UNAUTHENTICATED', 'The session has ended: log in again', { internalMessage: `refresh refused: ${reason}` });

/**
 * Registration, login with lockout, refresh-token rotation with reuse
 * detection, logout. Access tokens are short-lived JWTs; revocation acts on
 * sessions (their refresh tokens).
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsRepository,
    private readonly tokens: TokenIssuer,
    private readonly revocations: AccessRevocations,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  /** Creates the account and opens its first session: the password was just hashed, so it is not verified again. */
  async register(context: RequestContext, input: RegisterInput, now = new Date()): Promise<AuthPayload> {
    const { password, ...account } = input;
    const user = await this.users.create(context, account, await hashPassword(password));
    return this.startSession(context, user, now);
  }

  async login(context: RequestContext, input: LoginInput, now = new Date()): Promise<AuthPayload> {
    const user = await this.sessions.findUserByEmail(input.email.trim().toLowerCase());
    if (user?.lockedUntil && user.lockedUntil > now) {
      await this.sessions.recordRefusedWhileLocked(user, context);
      throw locked(user.lockedUntil);
    }
    // Unknown accounts cost the same argon2 check, so timing does not tell which e-mails exist.
    const matches = await verifyPassword(user?.passwordHash, input.password);
    if (!user) throw invalidCredentials();
    if (!matches) {
      const outcome = await this.sessions.recordFailure(user.id, now, context);
      if (outcome.kind === 'locked') throw locked(outcome.until);
      throw invalidCredentials();
    }
    if (user.status !== 'ACTIVE') throw new AppError('FORBIDDEN', `This account is ${user.status.toLowerCase()}`);
    return this.startSession(context, toUser(user), now);
  }

  /** A new session family for a user whose credentials were just checked (or set). */
  private async startSession(context: RequestContext, user: User, now: Date): Promise<AuthPayload> {
    const refresh = newRefreshToken();
    const expiresAt = new Date(now.getTime() + this.settings.refreshTokenTtlSeconds * 1000);
    const session = await this.sessions.openSession(user.id, { userId: user.id, familyId: randomUUID(), refreshTokenHash: refresh.hash, expiresAt }, now, context);
    if (!session) throw locked(new Date(now.getTime() + 1));
    return this.payload(user, session, refresh.token, now);
  }

  async refresh(context: RequestContext, refreshToken: string, now = new Date()): Promise<AuthPayload> {
    const next = newRefreshToken();
    const outcome = await this.sessions.rotate(hashOf(refreshToken), { refreshTokenHash: next.hash, expiresAt: new Date(now.getTime() + this.settings.refreshTokenTtlSeconds * 1000) }, now, context);
    // A replayed refresh token: its whole login ends, access tokens included.
    if (outcome.kind === 'reused') await this.revocations.endCredential(outcome.familyId, now.getTime());
    if (outcome.kind !== 'rotated') throw invalidSession(outcome.kind);
    return this.payload(toUser(outcome.user), outcome.session, next.token, now);
  }

  /** Ends one session and its access tokens; true when it was live. */
  async logout(context: RequestContext, refreshToken: string, now = new Date()): Promise<boolean> {
    const { ended, familyId } = await this.sessions.revoke(hashOf(refreshToken), now, context);
    if (familyId !== undefined) await this.revocations.endCredential(familyId, now.getTime());
    return ended;
  }

  /** Ends every session of the token's owner and every access token issued so far; returns how many sessions. */
  async logoutEverywhere(context: RequestContext, refreshToken: string, now = new Date()): Promise<number> {
    const outcome = await this.sessions.revokeAllOfOwner(hashOf(refreshToken), now, context);
    if (outcome === undefined) throw invalidSession('unknown, ended or expired');
    await this.revocations.endTokensOf(outcome.userId, now.getTime());
    return outcome.ended;
  }

  private async payload(user: User, session: SessionRow, refreshToken: string, now: Date): Promise<AuthPayload> {
    // Access tokens name the login (the session family), which rotations keep: a logout revokes them all.
    const access = await this.tokens.issue({ userId: user.id, tenantId: user.tenantId, sessionId: session.familyId }, now);
    return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt, refreshToken, refreshTokenExpiresAt: session.expiresAt, user };
  }
}

function locked(until: Date): AppError {
  return new AppError('ACCOUNT_LOCKED', `Too many failed logins: try again after ${until.toISOString()}`, { details: { lockedUntil: until.toISOString() } });
}
