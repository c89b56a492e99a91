import { Redis } from 'ioredis';
import { type ChangeBus, InProcessChangeBus, RedisChangeBus } from './change-bus.js';
import { type ConfigStore, RedisConfigStore } from './redis-store.js';

/** Where the copies live: Redis when `url` is set, else in process only (the embedded stack). */
export interface SharedCacheOptions {
  readonly url: string | undefined;
  /** Key and channel prefix: `<namespace>:config:*`. */
  readonly namespace: string;
  /** Who connects, for `CLIENT LIST` (e.g. `devices`). */
  readonly service: string;
  /** How long a Redis copy lives without being rewritten (default 10 minutes). */
  readonly ttlSeconds?: number;
  readonly onError: (error: unknown) => void;
}

/** The shared tiers of the cache: the Redis copies (none in process) and the bus changes are announced on. */
export interface SharedCache {
  readonly store: ConfigStore | undefined;
  readonly bus: ChangeBus;
  close(): Promise<void>;
}

const DEFAULT_TTL_SECONDS = 600;

/**
 * Opens the shared tiers. A Redis command never waits long: it fails at once
 * while the connection is down and after 1 s on a slow server, and a reader
 * then asks the owner; the connection keeps reconnecting in the background.
 */
export function openSharedCache(options: SharedCacheOptions): SharedCache {
  if (options.url === undefined) {
    const bus = new InProcessChangeBus(options.namespace, options.onError);
    return { store: undefined, bus, close: () => bus.close() };
  }
  const url = options.url;
  const connect = (role: string, commandTimeout: number | undefined) => {
    const redis = new Redis(url, {
      connectionName: `${options.service}-config-${role}`,
      maxRetriesPerRequest: 1,
      // Not connected: fail at once, so a reader asks the owner instead of waiting for Redis.
      enableOfflineQueue: false,
      // The bus subscribes itself on every connect, and only then trusts what it hears.
      autoResubscribe: false,
      ...(commandTimeout ? { commandTimeout } : {}),
    });
    // ioredis reports every failed reconnect: one report per outage is enough.
    let reported = false;
    redis.on('ready', () => {
      reported = false;
    });
    redis.on('error', (error: unknown) => {
      if (reported) return;
      reported = true;
      options.onError(error);
    });
    return redis;
  };
  const commands = connect('commands', 1_000);
  const store = new RedisConfigStore(commands, options.namespace, options.ttlSeconds ?? DEFAULT_TTL_SECONDS);
  const bus = new RedisChangeBus(options.namespace, commands, () => connect('subscriber', undefined), options.onError);
  return {
    store,
    bus,
    close: async () => {
      await bus.close();
      commands.disconnect();
    },
  };
}
