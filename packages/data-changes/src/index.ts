export * from './data-changes.js';
export * from './in-process-channel.js';
export * from './redis-channel.js';
export * from './change-announcer.js';

import type { DataChangeChannel } from './data-changes.js';
import { InProcessDataChangeChannel } from './in-process-channel.js';
import { RedisDataChangeChannel } from './redis-channel.js';

/** Redis when a URL is given (every replica, every machine); in process otherwise (the embedded stack). */
export function createDataChangeChannel(options: { redisUrl: string | undefined; namespace: string; onError?: (error: Error) => void }): DataChangeChannel {
  return options.redisUrl ? new RedisDataChangeChannel(options.redisUrl, options.namespace, options.onError) : new InProcessDataChangeChannel(options.namespace);
}
