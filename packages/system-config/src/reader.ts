import DataLoader from 'dataloader';
import { type DictionaryEntryValue, type DictionaryType, type SettingKey, type SettingValue, parseDictionary, parseSetting } from './catalog.js';
import type { ChangeBus } from './change-bus.js';
import { type ConfigChange, type ConfigItem, type ConfigItemRef, itemId } from './items.js';
import type { ConfigStore } from './redis-store.js';

/** The owner of the configuration as a reader sees it (the users subgraph, over HTTP). */
export interface ConfigOwner {
  /** The current version of each item, in order; the owner also fills Redis with them. */
  load(items: readonly ConfigItemRef[]): Promise<readonly ConfigItem[]>;
}

export interface SystemConfigReaderOptions {
  /** The Redis copies (none in the embedded mode) and the bus changes arrive on. */
  readonly store: ConfigStore | undefined;
  readonly bus: ChangeBus;
  readonly owner: ConfigOwner;
  /**
   * The longest an in-memory copy is used without asking Redis again
   * (default 60 s): the bound on staleness if an announcement is lost
   * (e.g. the owner died between its commit and its PUBLISH).
   */
  readonly maxAgeMs?: number;
  /**
   * The same while changes are not being heard (Redis unreachable, or not
   * subscribed yet; default 5 s): short, since nothing announces a change
   * then, but long enough that an outage does not send every request to the owner.
   */
  readonly offlineMaxAgeMs?: number;
  readonly onError: (error: unknown) => void;
  readonly now?: () => number;
}

/** Where reads were answered from, since the reader started. */
export interface SystemConfigReaderStats {
  memoryHits: number;
  redisHits: number;
  /** Items asked of the owner, and the calls that asked for them (several items per call when misses coincide). */
  ownerItems: number;
  ownerCalls: number;
  /** Changes heard that dropped a copy. */
  invalidations: number;
  /** Whether changes are being heard now (copies are trusted for `maxAgeMs` only then). */
  live: boolean;
}

interface MemoryCopy {
  readonly item: ConfigItem;
  readonly storedAt: number;
}

/**
 * What every service reads system configuration through: a copy in memory
 * per process, then Redis, then the owner, which fills Redis on the way.
 *
 * - Misses that coincide (one tick) cost one MGET and at most one owner call;
 *   concurrent reads of one item share one load.
 * - A change announced by the owner drops the copy everywhere; a load that
 *   was under way when the change was heard is not kept if it is older.
 * - A copy is trusted for `maxAgeMs` while changes are heard (`onLive`), and
 *   for `offlineMaxAgeMs` while they are not; when they are heard again,
 *   every copy goes, since announcements made meanwhile were lost.
 * - When Redis fails, the owner answers; when the owner fails too, an expired
 *   copy is served rather than an error.
 */
export class SystemConfigReader {
  private readonly memory = new Map<string, MemoryCopy>();
  private readonly pending = new Map<string, Promise<ConfigItem>>();
  /** The newest version announced per item: nothing older is kept. */
  private readonly announced = new Map<string, number>();
  private readonly loader: DataLoader<ConfigItemRef, ConfigItem, string>;
  private readonly maxAgeMs: number;
  private readonly offlineMaxAgeMs: number;
  private readonly now: () => number;
  private live = false;
  /** Bumped whenever the subscription drops or returns: a load begun in another epoch is not kept. */
  private epoch = 0;
  private stopListening: (() => Promise<void>) | undefined;
  private readonly counters: Omit<SystemConfigReaderStats, 'live'> = { memoryHits: 0, redisHits: 0, ownerItems: 0, ownerCalls: 0, invalidations: 0 };

  constructor(private readonly options: SystemConfigReaderOptions) {
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.offlineMaxAgeMs = Math.min(options.offlineMaxAgeMs ?? 5_000, this.maxAgeMs);
    this.now = options.now ?? Date.now;
    this.loader = new DataLoader((refs) => this.loadMany(refs), { cache: false, cacheKeyFn: itemId });
  }

  /** Starts hearing changes; copies are trusted for long from the moment the subscription is confirmed. */
  async start(): Promise<void> {
    this.stopListening ??= await this.options.bus.listen({
      onChange: (change) => this.forget(change),
      onLive: (live) => {
        this.live = live;
        this.epoch += 1;
        if (live) this.memory.clear();
      },
    });
  }

  async close(): Promise<void> {
    await this.stopListening?.();
    this.stopListening = undefined;
    this.live = false;
    this.memory.clear();
  }

  /** A setting as its declared type; undefined when it is not set (or holds a value of another shape, which is reported). */
  async setting<K extends SettingKey>(key: K): Promise<SettingValue<K> | undefined> {
    const item = await this.item({ kind: 'setting', name: key });
    if (item.version === 0) return undefined;
    const value = parseSetting(key, item.data);
    if (value === undefined) this.options.onError(new Error(`setting ${key} holds a value of another shape: ${JSON.stringify(item.data)}`));
    return value;
  }

  /** Several dictionaries at once, in order (an unknown or empty one has no entries). */
  async dictionaries(types: readonly DictionaryType[]): Promise<DictionaryEntryValue[][]> {
    const items = await Promise.all(types.map((type) => this.item({ kind: 'dictionary', name: type })));
    return items.map((item, index) => {
      if (item.version === 0) return [];
      const entries = parseDictionary(item.data);
      if (entries === undefined) this.options.onError(new Error(`dictionary ${types[index]} holds no entries: ${JSON.stringify(item.data).slice(0, 200)}`));
      return entries ?? [];
    });
  }

  async dictionary(type: DictionaryType): Promise<DictionaryEntryValue[]> {
    const [entries] = await this.dictionaries([type]);
    return entries ?? [];
  }

  stats(): SystemConfigReaderStats {
    return { ...this.counters, live: this.live };
  }

  /** One item: from memory when fresh, else from the shared load of it. */
  async item(ref: ConfigItemRef): Promise<ConfigItem> {
    const id = itemId(ref);
    const copy = this.memory.get(id);
    if (copy && this.now() - copy.storedAt < (this.live ? this.maxAgeMs : this.offlineMaxAgeMs)) {
      this.counters.memoryHits += 1;
      return copy.item;
    }
    let load = this.pending.get(id);
    if (!load) {
      load = this.loader.load(ref).finally(() => {
        if (this.pending.get(id) === load) this.pending.delete(id);
      });
      this.pending.set(id, load);
    }
    try {
      return await load;
    } catch (error) {
      // Stale rather than nothing: an expired copy (never one a change dropped) beats an error.
      if (copy) {
        this.options.onError(error);
        return copy.item;
      }
      throw error;
    }
  }

  private forget(change: ConfigChange): void {
    const id = itemId(change);
    if (change.version > (this.announced.get(id) ?? 0)) this.announced.set(id, change.version);
    const copy = this.memory.get(id);
    if (copy && copy.item.version < change.version) {
      this.memory.delete(id);
      this.counters.invalidations += 1;
    }
    // Reads from now on must not join a load that may return the old version.
    this.pending.delete(id);
  }

  private isCurrent(item: ConfigItem): boolean {
    return item.version >= (this.announced.get(itemId(item)) ?? 0);
  }

  /** One batch of misses: one MGET, then one owner call for what Redis lacks (or holds older than announced). */
  private async loadMany(refs: readonly ConfigItemRef[]): Promise<ConfigItem[]> {
    const { store } = this.options;
    const epoch = this.epoch;
    let cached: (ConfigItem | undefined)[] = refs.map(() => undefined);
    if (store) {
      try {
        cached = await store.get(refs);
      } catch (error) {
        this.options.onError(error);
      }
    }
    const found = cached.map((item) => (item !== undefined && this.isCurrent(item) ? item : undefined));
    const missing = refs.filter((_, index) => found[index] === undefined);
    this.counters.redisHits += refs.length - missing.length;
    const fromOwner = new Map<string, ConfigItem>();
    if (missing.length > 0) {
      this.counters.ownerCalls += 1;
      this.counters.ownerItems += missing.length;
      for (const item of await this.options.owner.load(missing)) fromOwner.set(itemId(item), item);
    }
    const storedAt = this.now();
    return refs.map((ref, index) => {
      const item = found[index] ?? fromOwner.get(itemId(ref)) ?? { kind: ref.kind, name: ref.name, version: 0, data: null };
      if (epoch === this.epoch && this.isCurrent(item)) this.memory.set(itemId(item), { item, storedAt });
      return item;
    });
  }
}
