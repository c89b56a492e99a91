/**
 * The unit of caching: one setting (by key) or one whole dictionary (by
 * type). Readers ask for items, the owner answers items, Redis holds items,
 * and a change names the item it changed.
 */
export type ConfigItemKind = 'setting' | 'dictionary';

export interface ConfigItemRef {
  readonly kind: ConfigItemKind;
  readonly name: string;
}

/**
 * An item's content at a version. `version` grows with every change of the
 * item (0: the item does not exist); `data` is the setting's JSON value, or
 * the dictionary's entries. A copy is only ever replaced by a newer version.
 */
export interface ConfigItem extends ConfigItemRef {
  readonly version: number;
  readonly data: unknown;
}

/** What the owner announces after committing a change: which item, and the version now current. */
export interface ConfigChange extends ConfigItemRef {
  readonly version: number;
}

export function itemId(item: ConfigItemRef): string {
  return `${item.kind}:${item.name}`;
}

/** `<namespace>:config:setting:<key>` / `<namespace>:config:dictionary:<type>`. */
export function itemKey(namespace: string, item: ConfigItemRef): string {
  return `${namespace}:config:${itemId(item)}`;
}

/** The Redis pub/sub channel (or in-process BroadcastChannel name) changes are announced on. */
export function changesChannel(namespace: string): string {
  return `${namespace}:config:changed`;
}

function isKind(value: unknown): value is ConfigItemKind {
  return value === 'setting' || value === 'dictionary';
}

/** A change read off the wire; undefined for anything else. */
export function parseChange(raw: string): ConfigChange | undefined {
  try {
    const value = JSON.parse(raw) as Partial<ConfigChange>;
    if (isKind(value.kind) && typeof value.name === 'string' && typeof value.version === 'number') return { kind: value.kind, name: value.name, version: value.version };
  } catch {
    // not a change
  }
  return undefined;
}

/** An item read back from Redis; undefined for anything else. */
export function parseStoredItem(ref: ConfigItemRef, raw: string | null): ConfigItem | undefined {
  if (raw === null) return undefined;
  try {
    const value = JSON.parse(raw) as { version?: unknown; data?: unknown };
    if (typeof value.version === 'number') return { ...ref, version: value.version, data: value.data ?? null };
  } catch {
    // unreadable: treated as a miss
  }
  return undefined;
}
