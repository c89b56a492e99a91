import { AppError } from '@cloudphone/errors';
import type { RevocationChannel } from '@cloudphone/revocation';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AUTH_SETTINGS, type AuthSettings } from '../config.js';

/** DI token of the channel revocations are announced on (Redis, or in process when embedded). */
export const REVOCATION_CHANNEL = Symbol('REVOCATION_CHANNEL');

/**
 * Announces to every gateway replica that access tokens stop working now
 * rather than when they expire. Announced after the change is committed; if
 * the announcement fails the caller gets SERVICE_UNAVAILABLE and may repeat
 * the request (logouts and role removals announce again when repeated), so
 * a revocation is never silently dropped.
 */
@Injectable()
export class AccessRevocations {
  private readonly logger = new Logger('access-revocations');

  constructor(
    @Inject(REVOCATION_CHANNEL) private readonly channel: RevocationChannel,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  /**
   * Every use of one credential: a login's tokens (its session family), or an
   * API key (gateways would otherwise keep honouring it for up to their
   * one-second cache, and its open subscriptions would stay open).
   */
  endCredential(credentialId: string, now = Date.now()): Promise<void> {
    return this.announce({ kind: 'credential', credentialId, expiresAt: this.lastExpiry(now) });
  }

  /** Every token of the user issued until now (logout everywhere, a role taken away). */
  endTokensOf(userId: string, now = Date.now()): Promise<void> {
    return this.announce({ kind: 'user', userId, issuedBefore: now, expiresAt: this.lastExpiry(now) });
  }

  /** When the last token issued until now expires: the revocation is not needed after that. */
  private lastExpiry(now: number): number {
    return now + this.settings.accessTokenTtlSeconds * 1000 + 5_000;
  }

  private async announce(revocation: Parameters<RevocationChannel['publish']>[0]): Promise<void> {
    try {
      await this.channel.publish(revocation);
    } catch (error) {
      this.logger.error(`revocation not announced: ${(error as Error).message}`);
      throw new AppError('SERVICE_UNAVAILABLE', 'The change is saved but could not reach every gateway yet: repeat the request', { retryable: true, internalMessage: (error as Error).message });
    }
  }
}
