import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/** Where the subgraph cache keeps answers: shared by every gateway (Redis) or one process's memory. */
export interface AnswerStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
}

/** Every gateway replica and worker reads what the others kept; keys expire on their own. */
export class RedisAnswerStore implements AnswerStore {
  constructor(private readonly redis: Redis) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(key, value, 'PX', ttlMs);
  }
}

/** One process's answers (the embedded stack), bounded by their total size in characters. */
export class MemoryAnswerStore implements AnswerStore {
  private readonly answers: LRUCache<string, string>;

  constructor(maxCharacters: number) {
    this.answers = new LRUCache<string, string>({ maxSize: maxCharacters, sizeCalculation: (value, key) => value.length + key.length });
  }

  async get(key: string): Promise<string | undefined> {
    return this.answers.get(key);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.answers.set(key, value, { ttl: ttlMs });
  }
}
