import type { Database, SubgraphDatabase } from '@cloudphone/db';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { type DictionaryEntryRow, type SettingRow, dictionaryEntries, settings } from '../database/schema.js';

export interface EntryChange {
  type: string;
  code: string;
  label: string;
  sortOrder: number;
}

@Injectable()
export class SystemConfigRepository {
  constructor(@Inject(DATABASE) private readonly database: SubgraphDatabase) {}

  listSettings(): Promise<SettingRow[]> {
    return this.database.db.select().from(settings).orderBy(asc(settings.key));
  }

  async settingsByKeys(keys: readonly string[]): Promise<SettingRow[]> {
    if (keys.length === 0) return [];
    return this.database.db.select().from(settings).where(inArray(settings.key, [...keys]));
  }

  /** The entries of some dictionaries in one statement, each dictionary in its order. */
  async entriesOf(types: readonly string[], db: Database = this.database.db): Promise<DictionaryEntryRow[]> {
    if (types.length === 0) return [];
    return db
      .select()
      .from(dictionaryEntries)
      .where(inArray(dictionaryEntries.type, [...types]))
      .orderBy(asc(dictionaryEntries.type), asc(dictionaryEntries.sortOrder), asc(dictionaryEntries.code));
  }

  /** The setting's row, locked until the transaction ends; undefined when the key has none yet. */
  async lockSetting(tx: Database, key: string): Promise<SettingRow | undefined> {
    const [row] = await tx.select().from(settings).where(eq(settings.key, key)).for('update');
    return row;
  }

  /** Writes a value, one version past the current one. */
  async writeSetting(tx: Database, key: string, value: unknown, updatedBy: string | null): Promise<SettingRow> {
    const [row] = await tx
      .insert(settings)
      .values({ key, value, updatedBy })
      .onConflictDoUpdate({ target: settings.key, set: { value, version: sql`${settings.version} + 1`, updatedAt: sql`now()`, updatedBy } })
      .returning();
    if (!row) throw new Error(`setting ${key} was not written`);
    return row;
  }

  /**
   * Serialises changes of one dictionary until the transaction ends (a
   * transaction-scoped advisory lock: it also covers a type with no rows
   * yet), so each change takes the next version of the type.
   */
  async lockDictionary(tx: Database, type: string): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`dictionary_entries:${type}`}, 0))`);
  }

  async entry(tx: Database, type: string, code: string): Promise<DictionaryEntryRow | undefined> {
    const [row] = await tx.select().from(dictionaryEntries).where(and(eq(dictionaryEntries.type, type), eq(dictionaryEntries.code, code)));
    return row;
  }

  /** The sort order after the dictionary's last entry. */
  async nextSortOrder(tx: Database, type: string): Promise<number> {
    const [row] = await tx.select({ last: sql<number>`coalesce(max(${dictionaryEntries.sortOrder}), 0)`.mapWith(Number) }).from(dictionaryEntries).where(eq(dictionaryEntries.type, type));
    return (row?.last ?? 0) + 10;
  }

  /** Writes an entry at the dictionary's next version (call under `lockDictionary`). */
  async writeEntry(tx: Database, change: EntryChange, updatedBy: string | null): Promise<DictionaryEntryRow> {
    const version = sql`(select coalesce(max(${dictionaryEntries.version}), 0) + 1 from ${dictionaryEntries} where ${dictionaryEntries.type} = ${change.type})`;
    const [row] = await tx
      .insert(dictionaryEntries)
      .values({ ...change, version, updatedBy })
      .onConflictDoUpdate({
        target: [dictionaryEntries.type, dictionaryEntries.code],
        set: { label: change.label, sortOrder: change.sortOrder, version, updatedAt: sql`now()`, updatedBy },
      })
      .returning();
    if (!row) throw new Error(`dictionary entry ${change.type} ${change.code} was not written`);
    return row;
  }
}
