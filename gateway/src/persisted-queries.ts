import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { Redis } from 'ioredis';

/** How long a registered query is kept after its last registration: clients register again when it is gone. */
export const PERSISTED_QUERY_TTL_SECONDS = 24 * 60 * 60;

/**
 * Automatic persisted queries in Redis: a query one gateway replica or
 * worker registered is found by all the others, so a client sending only the
 * hash is not bounced to resend it by whichever process answers. A failing
 * Redis never fails a request: the client is told the query is not known and
 * sends it whole, as the APQ protocol has it.
 */
export class RedisPersistedQueries implements KeyValueCache<string> {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly onError: (error: Error) => void,
  ) {}

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.redis.get(this.prefix + key)) ?? undefined;
    } catch (error) {
      this.onError(error as Error);
      return undefined;
    }
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const ttl = options?.ttl ?? PERSISTED_QUERY_TTL_SECONDS;
    try {
      await this.redis.set(this.prefix + key, value, 'EX', ttl);
    } catch (error) {
      this.onError(error as Error);
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      return (await this.redis.del(this.prefix + key)) > 0;
    } catch (error) {
      this.onError(error as Error);
      return false;
    }
  }
}

/**
 * The APQ store with the operation manifest in front: a hash of a manifest
 * operation is answered from it on the first request, by every process,
 * without a registration and without expiring (the id is the hash of the
 * body, so the pair never goes stale). Anything else goes to `registered`
 * (Redis, or this process's memory). Apollo Server prefixes keys with
 * `apq:`, so both forms are matched.
 */
export class ManifestPersistedQueries implements KeyValueCache<string> {
  private readonly known = new Map<string, string>();

  constructor(
    operations: readonly { id: string; body: string }[],
    private readonly registered: KeyValueCache<string>,
  ) {
    for (const operation of operations) {
      this.known.set(operation.id, operation.body);
      this.known.set(`${APQ_PREFIX}${operation.id}`, operation.body);
    }
  }

  async get(key: string): Promise<string | undefined> {
    return this.known.get(key) ?? this.registered.get(key);
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    // A manifest operation sent whole is already known: no write to Redis for it.
    if (this.known.get(key) === value) return;
    await this.registered.set(key, value, options);
  }

  async delete(key: string): Promise<boolean | void> {
    return this.registered.delete(key);
  }
}

/** The prefix Apollo Server puts before an APQ hash in the store it is given. */
const APQ_PREFIX = 'apq:';
