import type { Database, SubgraphDatabase } from '@cloudphone/db';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { and, eq, inArray, isNull, notInArray, or, sql } from 'drizzle-orm';
import { type SagaRow, orders, sagas } from '../database/schema.js';

export type SagaStatusValue = SagaRow['status'];

/** The end of a lease taken now for `ms`, on the database's clock (replicas with skewed clocks agree on it). */
const leaseEnd = (ms: number) => sql`now() + ${`${ms} milliseconds`}::interval`;
const OPEN: SagaStatusValue[] = ['RUNNING', 'COMPENSATING'];

/** What a step decided, as stored: where the saga goes next and when it is due. */
export interface SagaAdvance {
  status: SagaStatusValue;
  step: string;
  state: unknown;
  wakeAt: Date;
  lastError: string | null;
  failureReason?: string | null | undefined;
}

@Injectable()
export class SagasRepository {
  constructor(@Inject(DATABASE) private readonly database: SubgraphDatabase) {}

  async insert(tx: Database, saga: { id: string; kind: string; step: string; state: unknown; subjectId: string }): Promise<void> {
    await tx.insert(sagas).values({ ...saga, status: 'RUNNING' });
  }

  /**
   * Takes the lease of up to `limit` due sagas for `owner`. A saga whose
   * lease ran out (its process died or hung) is due again; SKIP LOCKED lets
   * replicas claim different sagas at once. Times come from the database's
   * clock, so replicas with skewed clocks agree on leases.
   */
  async claimDue(owner: string, leaseMs: number, limit: number, running: readonly string[]): Promise<SagaRow[]> {
    const due = this.database.db
      .select({ id: sagas.id })
      .from(sagas)
      .where(
        and(
          inArray(sagas.status, OPEN),
          sql`${sagas.wakeAt} <= now()`,
          or(isNull(sagas.leaseUntil), sql`${sagas.leaseUntil} < now()`),
          running.length === 0 ? undefined : notInArray(sagas.id, [...running]),
        ),
      )
      .orderBy(sagas.wakeAt)
      .limit(limit)
      .for('update', { skipLocked: true });
    return this.database.db
      .update(sagas)
      .set({ leaseOwner: owner, leaseUntil: leaseEnd(leaseMs), attempts: sql`${sagas.attempts} + 1` })
      .where(inArray(sagas.id, due))
      .returning();
  }

  /** Extends a lease its owner still holds (a long step's heartbeat); false once it was lost. */
  async renewLease(id: string, owner: string, leaseMs: number): Promise<boolean> {
    const renewed = await this.database.db
      .update(sagas)
      .set({ leaseUntil: leaseEnd(leaseMs) })
      .where(and(eq(sagas.id, id), eq(sagas.leaseOwner, owner)))
      .returning({ id: sagas.id });
    return renewed.length === 1;
  }

  /**
   * Stores a step's outcome, only while `owner` holds the lease; false
   * otherwise (the caller's transaction must roll back). `holdMs`: keep the
   * lease that much longer to run the next step at once; without it the
   * lease is given up (the saga waits or is over). A success resets the
   * attempts that pace retries.
   */
  async advance(tx: Database, id: string, owner: string, next: SagaAdvance, holdMs?: number): Promise<boolean> {
    const finished = next.status === 'COMPLETED' || next.status === 'COMPENSATED';
    const updated = await tx
      .update(sagas)
      .set({
        status: next.status,
        step: next.step,
        state: next.state,
        wakeAt: next.wakeAt,
        lastError: next.lastError,
        ...(next.failureReason !== undefined ? { failureReason: next.failureReason } : {}),
        leaseOwner: holdMs === undefined ? null : owner,
        leaseUntil: holdMs === undefined ? null : leaseEnd(holdMs),
        ...(next.lastError === null ? { attempts: 0 } : {}),
        updatedAt: new Date(),
        ...(finished ? { finishedAt: new Date() } : {}),
      })
      .where(and(eq(sagas.id, id), eq(sagas.leaseOwner, owner)))
      .returning({ id: sagas.id });
    return updated.length === 1;
  }

  /** Makes the open saga about `subjectId` due now (an awaited callback or event arrived). */
  async wake(tx: Database, subjectId: string): Promise<void> {
    await tx.update(sagas).set({ wakeAt: sql`now()` }).where(and(eq(sagas.subjectId, subjectId), inArray(sagas.status, OPEN)));
  }

  /** Makes due the open sagas about orders of `deviceId` (its status changed: a purchase may be waiting for it). */
  async wakeForDevice(tx: Database, deviceId: string): Promise<void> {
    await tx
      .update(sagas)
      .set({ wakeAt: sql`now()` })
      .where(and(inArray(sagas.status, OPEN), inArray(sagas.subjectId, tx.select({ id: orders.id }).from(orders).where(eq(orders.deviceId, deviceId)))));
  }

  /** Gives up the leases `owner` holds (clean shutdown), so another process resumes at once. */
  async releaseLeases(owner: string): Promise<void> {
    await this.database.db.update(sagas).set({ leaseOwner: null, leaseUntil: null }).where(eq(sagas.leaseOwner, owner));
  }

  async findBySubjects(kind: string, subjectIds: readonly string[]): Promise<SagaRow[]> {
    if (subjectIds.length === 0) return [];
    return this.database.db.select().from(sagas).where(and(eq(sagas.kind, kind), inArray(sagas.subjectId, [...subjectIds])));
  }
}
