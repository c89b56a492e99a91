import type { SharedCache } from './shared-cache.js';
import type { ConfigItem } from './items.js';

const ATTEMPTS = 3;
const RETRY_DELAY_MS = 200;

/**
 * The owner's side of the cache. After a change commits, the new version goes
 * to Redis first and is announced second, so a replica that hears the
 * announcement and asks Redis finds it there. After answering a miss, the
 * owner fills Redis with what it read. Redis only takes a version at least as
 * new as its own, so neither write can put an older copy back.
 */
export class SystemConfigPublisher {
  constructor(
    private readonly shared: Pick<SharedCache, 'store' | 'bus'>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /**
   * Publishes a committed change. The change stands whatever happens here:
   * after a few attempts a failure is reported, and replicas catch up when
   * their copies expire (in-memory 60 s, Redis 10 min).
   */
  async changed(item: ConfigItem): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.shared.store?.put(item);
        await this.shared.bus.announce({ kind: item.kind, name: item.name, version: item.version });
        return;
      } catch (error) {
        if (attempt >= ATTEMPTS) {
          this.onError(error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * attempt));
      }
    }
  }

  /** Fills Redis with items just read for a reader that missed them; best effort. */
  async fill(items: readonly ConfigItem[]): Promise<void> {
    const { store } = this.shared;
    if (!store) return;
    await Promise.all(items.map((item) => store.put(item))).catch(this.onError);
  }
}
