import type { Database, SubgraphDatabase } from '@cloudphone/db';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { type NewPreferenceRow, type PreferenceRow, notificationPreferences, notifications } from '../database/schema.js';

@Injectable()
export class PreferencesRepository {
  constructor(@Inject(DATABASE) private readonly database: SubgraphDatabase) {}

  /** A user's preference for a type, read in the caller's transaction; undefined when they never set one. */
  async find(tx: Database, userId: string, type: PreferenceRow['type']): Promise<PreferenceRow | undefined> {
    const [row] = await tx
      .select()
      .from(notificationPreferences)
      .where(and(eq(notificationPreferences.userId, userId), eq(notificationPreferences.type, type)));
    return row;
  }

  /**
   * A user's tenant as this subgraph knows it: from their newest notification
   * that has one (every user gets a WELCOME one from user.created). Null when
   * none has: a TENANT scope then does not reach the user (fail closed).
   */
  async tenantOfUser(userId: string): Promise<string | null> {
    const [row] = await this.database.db
      .select({ tenantId: notifications.tenantId })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), isNotNull(notifications.tenantId)))
      .orderBy(desc(notifications.createdAt))
      .limit(1);
    return row?.tenantId ?? null;
  }

  /** Creates or replaces a user's preference for a type in one statement. */
  async upsert(row: Required<Omit<NewPreferenceRow, 'createdAt' | 'updatedAt'>>): Promise<PreferenceRow> {
    const { userId: _userId, type: _type, ...changes } = row;
    const [saved] = await this.database.db
      .insert(notificationPreferences)
      .values(row)
      .onConflictDoUpdate({ target: [notificationPreferences.userId, notificationPreferences.type], set: { ...changes, updatedAt: sql`now()` } })
      .returning();
    if (!saved) throw new Error('upsert into notification_preferences returned no row');
    return saved;
  }
}
