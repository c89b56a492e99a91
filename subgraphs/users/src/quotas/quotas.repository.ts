import type { Database, SubgraphDatabase } from '@cloudphone/db';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { eq, inArray, sql } from 'drizzle-orm';
import { QUOTA_DEFAULTS, type QuotaDefaults } from '../config.js';
import { type NewUserQuotaRow, type UserQuotaRow, userQuotas } from '../database/schema.js';

export type QuotaChanges = Partial<Pick<NewUserQuotaRow, 'maxDevices' | 'maxRunningDevices' | 'maxCpuCores' | 'maxMemoryMb' | 'maxStorageGb' | 'status'>>;

@Injectable()
export class QuotasRepository {
  constructor(
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    @Inject(QUOTA_DEFAULTS) private readonly defaults: QuotaDefaults,
  ) {}

  async findByUserIds(userIds: readonly string[]): Promise<UserQuotaRow[]> {
    if (userIds.length === 0) return [];
    return this.database.db.select().from(userQuotas).where(inArray(userQuotas.userId, [...userIds]));
  }

  /**
   * Changes a user's quota inside the caller's transaction, the row locked
   * between reading and writing; a user without one (none should be: users get
   * it at creation, or from the migration) starts from the defaults.
   */
  async change(tx: Database, userId: string, changes: QuotaChanges): Promise<{ before: UserQuotaRow; after: UserQuotaRow }> {
    await tx.insert(userQuotas).values({ userId, ...this.defaults }).onConflictDoNothing();
    const [before] = await tx.select().from(userQuotas).where(eq(userQuotas.userId, userId)).for('update');
    if (!before) throw new Error(`the quota of user ${userId} vanished while being changed`);
    const [after] = await tx
      .update(userQuotas)
      .set({ ...changes, version: sql`${userQuotas.version} + 1`, updatedAt: new Date() })
      .where(eq(userQuotas.userId, userId))
      .returning();
    if (!after) throw new Error(`the quota of user ${userId} vanished while being changed`);
    return { before, after };
  }
}
