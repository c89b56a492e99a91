import type { Redis } from 'ioredis';
import { type ConfigItem, type ConfigItemRef, itemKey, parseStoredItem } from './items.js';

/**
 * Writes an item unless Redis already holds a newer version of it, so a slow
 * writer (a snapshot read before a change, written after it) never puts an
 * old copy back. KEYS[1] the item's key; ARGV: the JSON, its version, TTL in seconds.
 */
const PUT_IF_NOT_OLDER = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, stored = pcall(cjson.decode, current)
  if ok and type(stored) == 'table' and type(stored.version) == 'number' and stored.version > tonumber(ARGV[2]) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[3]))
return 1
`;

/** The copies every replica shares. */
export interface ConfigStore {
  /** The copies of `items`, in order (undefined where there is none). */
  get(items: readonly ConfigItemRef[]): Promise<(ConfigItem | undefined)[]>;
  /** Stores an item unless a newer version is there; true when written. */
  put(item: ConfigItem): Promise<boolean>;
}

type WithPut = Redis & { configPutIfNotOlder(key: string, json: string, version: number, ttlSeconds: number): Promise<number> };

/**
 * The copy every replica shares: one Redis key per item,
 * `<namespace>:config:<kind>:<name>` holding `{"version":n,"data":...}`.
 * Only the owner writes (after a change, and after answering a miss); keys
 * expire after `ttlSeconds`, so a write lost with a crash heals by itself.
 */
export class RedisConfigStore implements ConfigStore {
  private readonly redis: WithPut;

  constructor(
    redis: Redis,
    readonly namespace: string,
    private readonly ttlSeconds: number,
  ) {
    redis.defineCommand('configPutIfNotOlder', { numberOfKeys: 1, lua: PUT_IF_NOT_OLDER });
    this.redis = redis as WithPut;
  }

  /** The copies of `items`, in order (undefined where Redis has none): one MGET. */
  async get(items: readonly ConfigItemRef[]): Promise<(ConfigItem | undefined)[]> {
    if (items.length === 0) return [];
    const values = await this.redis.mget(...items.map((item) => itemKey(this.namespace, item)));
    return items.map((item, index) => parseStoredItem({ kind: item.kind, name: item.name }, values[index] ?? null));
  }

  /** Stores an item unless a newer version is there; true when written. */
  async put(item: ConfigItem): Promise<boolean> {
    const json = JSON.stringify({ version: item.version, data: item.data });
    return (await this.redis.configPutIfNotOlder(itemKey(this.namespace, item), json, item.version, this.ttlSeconds)) === 1;
  }
}
