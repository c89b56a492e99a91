export * from './revocation.js';
export * from './revocation-list.js';
export * from './in-process-channel.js';
export * from './redis-channel.js';

import { InProcessRevocationChannel } from './in-process-channel.js';
import { RedisRevocationChannel } from './redis-channel.js';
import type { RevocationChannel } from './revocation.js';

/** Redis when a URL is given (every replica, every machine); in process otherwise (the embedded stack). */
export function createRevocationChannel(options: { redisUrl: string | undefined; namespace: string; onError?: (error: Error) => void }): RevocationChannel {
  return options.redisUrl ? new RedisRevocationChannel(options.redisUrl, options.namespace, options.onError) : new InProcessRevocationChannel(options.namespace);
}
