import type { SubgraphDatabase } from '@cloudphone/db';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { and, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import { type SessionRow, type UserRow, sessions, users } from '../database/schema.js';
import { AuditRepository } from './audit.repository.js';

/** Five failed logins in a row lock the account for 30 minutes (DOMAIN.md). */
export const LOCKOUT = { maxFailures: 5, durationMs: 30 * 60_000 };

export interface NewSession {
  userId: string;
  familyId: string;
  refreshTokenHash: string;
  expiresAt: Date;
}

export type FailureOutcome = { kind: 'counted'; failures: number } | { kind: 'locked'; until: Date };
export type RotateOutcome =
  | { kind: 'rotated'; session: SessionRow; user: UserRow }
  | { kind: 'unknown' | 'expired' | 'inactive' }
  | { kind: 'reused'; revoked: number; familyId: string };

interface Origin {
  requestId: string;
}

/** Logins, lockouts and sessions; every change of access is audited in its own transaction. */
@Injectable()
export class SessionsRepository {
  constructor(
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    private readonly audit: AuditRepository,
  ) {}

  async findUserByEmail(email: string): Promise<UserRow | undefined> {
    const [row] = await this.database.db.select().from(users).where(eq(users.email, email));
    return row;
  }

  async recordRefusedWhileLocked(user: UserRow, origin: Origin): Promise<void> {
    await this.database.db.transaction((tx) =>
      this.audit.record(tx, { actorUserId: user.id, action: 'login.refused', resource: 'user', resourceId: user.id, summary: { reason: 'locked' }, requestId: origin.requestId }),
    );
  }

  /**
   * Counts a wrong password; the fifth in a row locks the account. The count
   * is one UPDATE on the user's row, so concurrent attempts are all counted.
   */
  async recordFailure(userId: string, now: Date, origin: Origin): Promise<FailureOutcome> {
    return this.database.db.transaction(async (tx) => {
      const [counted] = await tx
        .update(users)
        .set({ failedLoginCount: sql`${users.failedLoginCount} + 1` })
        .where(eq(users.id, userId))
        .returning({ failures: users.failedLoginCount });
      const failures = counted?.failures ?? 0;
      await this.audit.record(tx, { actorUserId: userId, action: 'login.failed', resource: 'user', resourceId: userId, summary: { failures }, requestId: origin.requestId });
      if (failures < LOCKOUT.maxFailures) return { kind: 'counted', failures };
      const until = new Date(now.getTime() + LOCKOUT.durationMs);
      await tx.update(users).set({ failedLoginCount: 0, lockedUntil: until }).where(eq(users.id, userId));
      await this.audit.record(tx, { actorUserId: userId, action: 'account.locked', resource: 'user', resourceId: userId, summary: { until: until.toISOString() }, requestId: origin.requestId });
      return { kind: 'locked', until };
    });
  }

  /**
   * A right password: clears the failure count and opens a session, unless
   * a concurrent failure locked the account meanwhile (undefined).
   */
  async openSession(userId: string, session: NewSession, now: Date, origin: Origin): Promise<SessionRow | undefined> {
    return this.database.db.transaction(async (tx) => {
      const [unlocked] = await tx
        .update(users)
        .set({ failedLoginCount: 0, lockedUntil: null })
        .where(and(eq(users.id, userId), or(isNull(users.lockedUntil), lte(users.lockedUntil, now))))
        .returning({ id: users.id });
      if (!unlocked) return undefined;
      const [created] = await tx.insert(sessions).values(session).returning();
      if (!created) throw new Error('insert into sessions returned no row');
      await this.audit.record(tx, { actorUserId: userId, action: 'login.succeeded', resource: 'session', resourceId: created.id, requestId: origin.requestId });
      return created;
    });
  }

  /**
   * Exchanges a refresh token for a new one in the same family. A token
   * already rotated or revoked, presented again, was stolen or replayed: the
   * whole family is revoked.
   */
  async rotate(refreshTokenHash: string, next: { refreshTokenHash: string; expiresAt: Date }, now: Date, origin: Origin): Promise<RotateOutcome> {
    return this.database.db.transaction(async (tx) => {
      const [current] = await tx.select().from(sessions).where(eq(sessions.refreshTokenHash, refreshTokenHash)).for('update');
      if (!current) return { kind: 'unknown' };
      if (current.revokedAt !== null) {
        const revoked = await tx
          .update(sessions)
          .set({ revokedAt: now, revokeReason: 'refresh token reused' })
          .where(and(eq(sessions.familyId, current.familyId), isNull(sessions.revokedAt)))
          .returning({ id: sessions.id });
        await this.audit.record(tx, { actorUserId: current.userId, action: 'session.reuse_detected', resource: 'session', resourceId: current.id, summary: { revoked: revoked.length }, requestId: origin.requestId });
        return { kind: 'reused', revoked: revoked.length, familyId: current.familyId };
      }
      if (current.expiresAt <= now) return { kind: 'expired' };
      const [user] = await tx.select().from(users).where(eq(users.id, current.userId));
      if (user?.status !== 'ACTIVE') return { kind: 'inactive' };
      await tx.update(sessions).set({ revokedAt: now, revokeReason: 'rotated', lastUsedAt: now }).where(eq(sessions.id, current.id));
      const [session] = await tx.insert(sessions).values({ userId: current.userId, familyId: current.familyId, ...next }).returning();
      if (!session) throw new Error('insert into sessions returned no row');
      return { kind: 'rotated', session, user };
    });
  }

  /**
   * Ends the session of this refresh token. `ended` is false when it had
   * already ended; `familyId` names its login either way (undefined for an
   * unknown token), so a logout whose broadcast failed can be repeated.
   */
  async revoke(refreshTokenHash: string, now: Date, origin: Origin): Promise<{ ended: boolean; familyId: string | undefined }> {
    return this.database.db.transaction(async (tx) => {
      const [ended] = await tx
        .update(sessions)
        .set({ revokedAt: now, revokeReason: 'logout' })
        .where(and(eq(sessions.refreshTokenHash, refreshTokenHash), isNull(sessions.revokedAt)))
        .returning();
      if (!ended) {
        const [known] = await tx.select({ familyId: sessions.familyId }).from(sessions).where(eq(sessions.refreshTokenHash, refreshTokenHash));
        return { ended: false, familyId: known?.familyId };
      }
      await this.audit.record(tx, { actorUserId: ended.userId, action: 'logout', resource: 'session', resourceId: ended.id, requestId: origin.requestId });
      return { ended: true, familyId: ended.familyId };
    });
  }

  /** Ends every live session of the user this valid refresh token belongs to; undefined when the token is not valid. */
  async revokeAllOfOwner(refreshTokenHash: string, now: Date, origin: Origin): Promise<{ ended: number; userId: string } | undefined> {
    return this.database.db.transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(sessions)
        .where(and(eq(sessions.refreshTokenHash, refreshTokenHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
      if (!current) return undefined;
      const ended = await tx
        .update(sessions)
        .set({ revokedAt: now, revokeReason: 'logout everywhere' })
        .where(and(eq(sessions.userId, current.userId), isNull(sessions.revokedAt)))
        .returning({ id: sessions.id });
      await this.audit.record(tx, { actorUserId: current.userId, action: 'logout.everywhere', resource: 'user', resourceId: current.userId, summary: { sessions: ended.length }, requestId: origin.requestId });
      return { ended: ended.length, userId: current.userId };
    });
  }
}
