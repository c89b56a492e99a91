import { AppError } from '@cloudphone/errors';
import type { Principal } from '@cloudphone/identity';
import type { Revocation, RevocationChannel } from './revocation.js';

/** A token as the gateway verified it: who, and when it was issued. */
export interface IssuedCredential {
  readonly principal: Principal;
  readonly issuedAtMs: number;
}

/**
 * What a gateway replica knows to be revoked, kept in memory and fed by the
 * channel, so checking a request costs two map lookups. While the channel is
 * out of sync for longer than `graceMs` (Redis unreachable), tokens are
 * refused as SERVICE_UNAVAILABLE: a revocation might be missing, and
 * refusing is the safe side.
 */
export class RevocationList {
  private readonly credentials = new Map<string, number>();
  private readonly users = new Map<string, { issuedBefore: number; expiresAt: number }>();
  private readonly listeners = new Set<(revocation: Revocation) => void>();
  private outOfSyncSince: number | null = Date.now();

  constructor(
    private readonly channel: RevocationChannel,
    private readonly graceMs: number,
  ) {}

  /** Follows the channel; resolves once in sync, or after `waitMs` (then requests are refused until it is). */
  async start(waitMs = 5_000): Promise<void> {
    let markSynchronised: () => void = () => undefined;
    const synchronised = new Promise<void>((resolve) => {
      markSynchronised = resolve;
    });
    await this.channel.follow({
      revoked: (revocation) => this.add(revocation),
      synchronised: (whole) => {
        if (whole) {
          this.outOfSyncSince = null;
          markSynchronised();
        } else this.outOfSyncSince ??= Date.now();
      },
    });
    await Promise.race([synchronised, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
  }

  /** Called for every revocation (open subscriptions of a revoked token are closed with it). */
  onRevoked(listener: (revocation: Revocation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  isRevoked(credential: IssuedCredential, revocation?: Revocation): boolean {
    const { principal, issuedAtMs } = credential;
    if (revocation) return covers(revocation, credential);
    const now = Date.now();
    const credentialUntil = principal.credentialId === null ? undefined : this.credentials.get(principal.credentialId);
    if (credentialUntil !== undefined && credentialUntil > now) return true;
    const user = principal.userId === null ? undefined : this.users.get(principal.userId);
    return user !== undefined && user.expiresAt > now && issuedAtMs < user.issuedBefore;
  }

  /** False once the list has been out of sync for longer than the grace: tokens are refused until it is back (readiness). */
  isInSync(): boolean {
    return this.outOfSyncSince === null || Date.now() - this.outOfSyncSince <= this.graceMs;
  }

  /** Refuses a revoked token (UNAUTHENTICATED), or any token while revocations may be missing (SERVICE_UNAVAILABLE). */
  check(credential: IssuedCredential): void {
    if (!this.isInSync()) {
      throw new AppError('SERVICE_UNAVAILABLE', 'Sign-in checks are unavailable; try again shortly', { internalMessage: 'revocation list out of sync' });
    }
    if (this.isRevoked(credential)) throw new AppError('UNAUTHENTICATED', 'This token was revoked: sign in again', { internalMessage: 'revoked token' });
  }

  private add(revocation: Revocation): void {
    const now = Date.now();
    if (revocation.expiresAt <= now) return;
    if (revocation.kind === 'credential') this.credentials.set(revocation.credentialId, Math.max(revocation.expiresAt, this.credentials.get(revocation.credentialId) ?? 0));
    else {
      const current = this.users.get(revocation.userId);
      this.users.set(revocation.userId, { issuedBefore: Math.max(revocation.issuedBefore, current?.issuedBefore ?? 0), expiresAt: Math.max(revocation.expiresAt, current?.expiresAt ?? 0) });
    }
    this.prune(now);
    for (const listener of this.listeners) listener(revocation);
  }

  private prune(now: number): void {
    for (const [id, until] of this.credentials) if (until <= now) this.credentials.delete(id);
    for (const [id, entry] of this.users) if (entry.expiresAt <= now) this.users.delete(id);
  }
}

function covers(revocation: Revocation, { principal, issuedAtMs }: IssuedCredential): boolean {
  if (revocation.kind === 'credential') return principal.credentialId === revocation.credentialId;
  return principal.userId === revocation.userId && issuedAtMs < revocation.issuedBefore;
}
