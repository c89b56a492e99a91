import type { QueryPlan, QueryPlanCache } from '@apollo/query-planner';
import { LRUCache } from 'lru-cache';

const MIB = 2 ** 20;

/**
 * The gateway's query plan store (its `queryPlannerConfig.cache`): an LRU
 * bounded by the approximate size of its plans, as Apollo's default store is
 * (JSON length; default 30 MiB there and here), so QUERY_PLAN_CACHE_MIB sizes
 * it. The gateway reads it once per HTTP operation, so `get` counts hits and
 * misses; `preload` is the warm-up's way in and counts nothing.
 */
export class QueryPlanStore implements QueryPlanCache {
  private readonly plans: LRUCache<string, QueryPlan>;

  constructor(
    maxMiB: number,
    private readonly observe: (outcome: 'hit' | 'miss') => void = () => undefined,
  ) {
    this.plans = new LRUCache<string, QueryPlan>({ maxSize: maxMiB * MIB, sizeCalculation: (plan) => Math.max(1, Buffer.byteLength(JSON.stringify(plan), 'utf8')) });
  }

  async get(key: string): Promise<QueryPlan | undefined> {
    const plan = this.plans.get(key);
    this.observe(plan === undefined ? 'miss' : 'hit');
    return plan;
  }

  async set(key: string, plan: QueryPlan): Promise<void> {
    this.plans.set(key, plan);
  }

  async delete(key: string): Promise<boolean> {
    return this.plans.delete(key);
  }

  /** Called by the gateway on every schema load, before its listeners (the warm-up) run. */
  clear(): void {
    this.plans.clear();
  }

  /** Stores a plan at once (no await between a generation check and the write), without counting a lookup. */
  preload(key: string, plan: QueryPlan): void {
    this.plans.set(key, plan);
  }

  /** Plans held, and their approximate size in bytes. */
  size(): { plans: number; bytes: number } {
    return { plans: this.plans.size, bytes: this.plans.calculatedSize };
  }
}
