import { isDeepStrictEqual } from 'node:util';
import type { SubgraphDatabase } from '@cloudphone/db';
import { badUserInput } from '@cloudphone/errors';
import { assertService, requirePermission } from '@cloudphone/identity';
import { type RequestContext, DATABASE } from '@cloudphone/subgraph-kit';
import { type ConfigItem, DICTIONARY_ENTRY_RULES, SystemConfigPublisher, isDictionaryType, isSettingKey, settingProblem } from '@cloudphone/system-config';
import { Inject, Injectable } from '@nestjs/common';
import { AuditRepository } from '../auth/audit.repository.js';
import type { DictionaryEntryRow, SettingRow } from '../database/schema.js';
import type { DictionaryEntry, SetDictionaryEntryInput, Setting } from './models/system-config.model.js';
import { SystemConfigRepository } from './system-config.repository.js';

/** Most items one snapshot call may ask for, per kind. */
const MAX_SNAPSHOT_ITEMS = 100;

function toSetting(row: SettingRow): Setting {
  return { key: row.key, value: row.value, description: row.description, version: row.version, updatedAt: row.updatedAt };
}

function settingItem(key: string, row: SettingRow | undefined): ConfigItem {
  return { kind: 'setting', name: key, version: row?.version ?? 0, data: row?.value ?? null };
}

/** A dictionary as caches hold it: its entries in order, at its highest entry version. */
function dictionaryItem(type: string, rows: readonly DictionaryEntryRow[]): ConfigItem {
  const own = rows.filter((row) => row.type === type);
  return {
    kind: 'dictionary',
    name: type,
    version: own.reduce((highest, row) => Math.max(highest, row.version), 0),
    data: own.map((row) => ({ code: row.code, label: row.label, sortOrder: row.sortOrder })),
  };
}

function dictionaryType(type: string): string {
  if (!isDictionaryType(type)) throw badUserInput(`There is no dictionary ${type}`, 'type');
  return type;
}

/**
 * The platform's settings and dictionaries. Anyone signed in reads them
 * (setting:read, held by every role); changing them needs setting:write
 * (SUPER_ADMIN). A change is audited in its transaction and, once committed,
 * published to every service's cache (Redis, then an announcement).
 */
@Injectable()
export class SystemConfigService {
  constructor(
    private readonly repository: SystemConfigRepository,
    private readonly audit: AuditRepository,
    private readonly publisher: SystemConfigPublisher,
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
  ) {}

  async settings(context: RequestContext): Promise<Setting[]> {
    requirePermission(context.principal, 'setting:read');
    return (await this.repository.listSettings()).map(toSetting);
  }

  async setting(context: RequestContext, key: string): Promise<Setting | null> {
    requirePermission(context.principal, 'setting:read');
    const [row] = await this.repository.settingsByKeys([key]);
    return row ? toSetting(row) : null;
  }

  async dictionary(context: RequestContext, type: string): Promise<DictionaryEntry[]> {
    requirePermission(context.principal, 'setting:read');
    return this.repository.entriesOf([dictionaryType(type)]);
  }

  /** Sets a declared setting to a value of its shape (BAD_USER_INPUT otherwise); the same value again changes nothing. */
  async setSetting(context: RequestContext, key: string, value: unknown): Promise<Setting> {
    const { principal } = context;
    requirePermission(principal, 'setting:write');
    const problem = settingProblem(key, value);
    if (problem !== undefined) throw badUserInput(problem, isSettingKey(key) ? 'value' : 'key');
    const { row, changed } = await this.database.db.transaction(async (tx) => {
      const before = await this.repository.lockSetting(tx, key);
      if (before && isDeepStrictEqual(before.value, value)) return { row: before, changed: false };
      const after = await this.repository.writeSetting(tx, key, value, principal.userId);
      await this.audit.record(tx, {
        actorUserId: principal.userId,
        action: 'setting.changed',
        resource: 'setting',
        resourceId: key,
        summary: { previous: before === undefined ? null : JSON.stringify(before.value), value: JSON.stringify(value), version: after.version },
        requestId: context.requestId,
      });
      return { row: after, changed: true };
    });
    if (changed) await this.publisher.changed(settingItem(key, row));
    return toSetting(row);
  }

  /** Adds or changes an entry of a declared dictionary; the same entry again changes nothing. */
  async setDictionaryEntry(context: RequestContext, input: SetDictionaryEntryInput): Promise<DictionaryEntry> {
    const { principal } = context;
    requirePermission(principal, 'setting:write');
    const type = dictionaryType(input.type);
    const label = input.label.trim();
    if (label === '') throw badUserInput(DICTIONARY_ENTRY_RULES.label.message, 'label');
    const { row, changed } = await this.database.db.transaction(async (tx) => {
      await this.repository.lockDictionary(tx, type);
      const before = await this.repository.entry(tx, type, input.code);
      const sortOrder = input.sortOrder ?? before?.sortOrder ?? (await this.repository.nextSortOrder(tx, type));
      if (before && before.label === label && before.sortOrder === sortOrder) return { row: before, changed: false };
      const after = await this.repository.writeEntry(tx, { type, code: input.code, label, sortOrder }, principal.userId);
      await this.audit.record(tx, {
        actorUserId: principal.userId,
        action: 'dictionary.changed',
        resource: 'dictionary',
        resourceId: `${type}:${input.code}`,
        summary: { previousLabel: before?.label ?? null, label, sortOrder, version: after.version },
        requestId: context.requestId,
      });
      return { row: after, changed: true };
    });
    if (changed) await this.publisher.changed(dictionaryItem(type, await this.repository.entriesOf([type])));
    return row;
  }

  /**
   * Service to service: the current version of each item a reader missed,
   * written to Redis on the way (never over a newer copy). Names the catalogue
   * does not declare answer version 0 and are not cached, so a reader newer
   * than this service degrades instead of failing.
   */
  async snapshot(context: RequestContext, settingKeys: readonly string[], dictionaryTypes: readonly string[]): Promise<ConfigItem[]> {
    assertService(context.principal);
    if (settingKeys.length > MAX_SNAPSHOT_ITEMS || dictionaryTypes.length > MAX_SNAPSHOT_ITEMS) throw badUserInput(`Ask for at most ${MAX_SNAPSHOT_ITEMS} settings and ${MAX_SNAPSHOT_ITEMS} dictionaries`);
    const keys = [...new Set(settingKeys)].filter(isSettingKey);
    const types = [...new Set(dictionaryTypes)].filter(isDictionaryType);
    const [settingRows, entryRows] = await Promise.all([this.repository.settingsByKeys(keys), this.repository.entriesOf(types)]);
    const known = [...keys.map((key) => settingItem(key, settingRows.find((row) => row.key === key))), ...types.map((type) => dictionaryItem(type, entryRows))];
    await this.publisher.fill(known);
    const unknown = [
      ...settingKeys.filter((key) => !isSettingKey(key)).map((key) => settingItem(key, undefined)),
      ...dictionaryTypes.filter((type) => !isDictionaryType(type)).map((type) => dictionaryItem(type, [])),
    ];
    return [...known, ...unknown];
  }
}
