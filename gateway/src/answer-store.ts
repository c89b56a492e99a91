import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/** A kept answer, and how much longer it may be kept. */
export interface StoredAnswer {
  value: string;
  ttlMs: number;
}

/** Where the subgraph cache keeps answers: shared by every gateway (Redis), one process's memory, or both. */
export interface AnswerStore {
  get(key: string): Promise<StoredAnswer | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
}

/** Every gateway replica and worker reads what the others kept; keys expire on their own. */
export class RedisAnswerStore implements AnswerStore {
  constructor(private readonly redis: Redis) {}

  async get(key: string): Promise<StoredAnswer | undefined> {
    // One round trip for both: the remaining time lets a nearer copy expire with this one.
    const replies = await this.redis.pipeline().get(key).pttl(key).exec();
    const [[getError, value] = [null, null], [ttlError, ttlMs] = [null, -2]] = replies ?? [];
    if (getError || ttlError) throw getError ?? ttlError;
    if (typeof value !== 'string' || typeof ttlMs !== 'number' || ttlMs <= 0) return undefined;
    return { value, ttlMs };
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(key, value, 'PX', ttlMs);
  }
}

/** One process's answers, bounded by their total size in characters. */
export class MemoryAnswerStore implements AnswerStore {
  private readonly answers: LRUCache<string, string>;

  constructor(maxCharacters: number) {
    this.answers = new LRUCache<string, string>({ maxSize: maxCharacters, sizeCalculation: (value, key) => value.length + key.length });
  }

  async get(key: string): Promise<StoredAnswer | undefined> {
    const value = this.answers.get(key);
    return value === undefined ? undefined : { value, ttlMs: this.answers.getRemainingTTL(key) };
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.answers.set(key, value, { ttl: ttlMs });
  }
}

/**
 * This process's memory in front of a shared store: an answer read from the
 * shared store is copied near, to expire with it, so a page served again
 * costs no round trip. Both hold the same value for a key (the generation is
 * inside it), so the nearer copy is never more current or staler than the far one.
 */
export class TieredAnswerStore implements AnswerStore {
  constructor(
    private readonly near: AnswerStore,
    private readonly far: AnswerStore,
  ) {}

  async get(key: string): Promise<StoredAnswer | undefined> {
    const near = await this.near.get(key);
    if (near) return near;
    const far = await this.far.get(key);
    if (far) await this.near.set(key, far.value, far.ttlMs);
    return far;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await Promise.all([this.near.set(key, value, ttlMs), this.far.set(key, value, ttlMs)]);
  }
}
