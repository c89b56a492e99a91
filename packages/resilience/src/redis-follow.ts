import { Redis } from 'ioredis';

export interface RedisFollowOptions {
  url: string;
  channel: string;
  onMessage(message: string): void;
  /** Rereads the state the channel's messages change: run after every (re)subscription, before the stream counts as whole. */
  replay(): Promise<void>;
  /** Whether the stream is whole: false from a lost connection until the replay after resubscribing has run. */
  synchronised(whole: boolean): void;
  onError(error: Error): void;
}

/**
 * Follows a Redis pub/sub channel whose messages change some state also kept
 * in Redis keys: the subscriber reconnects and resubscribes on its own; on
 * each (re)connection it subscribes first, then replays the keys, and only
 * then reports the stream whole, so no message falls between the two.
 * Returns the subscriber connection (disconnect it to stop).
 */
export function followRedisChannel(options: RedisFollowOptions): Redis {
  const subscriber = new Redis(options.url, { maxRetriesPerRequest: null, autoResubscribe: true });
  subscriber.on('error', (error: Error) => options.onError(error));
  subscriber.on('close', () => options.synchronised(false));
  subscriber.on('message', (_channel: string, message: string) => options.onMessage(message));
  const synchronise = async () => {
    try {
      await options.replay();
      options.synchronised(true);
    } catch (error) {
      options.onError(error as Error);
    }
  };
  subscriber.on('ready', () => {
    // ioredis resubscribes on reconnection before 'ready' handlers run; the first time, subscribe here.
    void subscriber.subscribe(options.channel).then(synchronise, (error: Error) => options.onError(error));
  });
  return subscriber;
}

/**
 * State kept in Redis keys and announced on one pub/sub channel: a command
 * connection (made on first use) for writing and replaying, and the
 * follower's subscription. Subclasses name the channel and the key prefix.
 */
export abstract class RedisAnnouncedState {
  private commands: Redis | undefined;
  private subscriber: Redis | undefined;

  protected constructor(
    private readonly url: string,
    protected readonly channelName: string,
    protected readonly keyPrefix: string,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Disconnects at once (writes have already awaited their replies): `quit` would wait for a server that may never answer. */
  async close(): Promise<void> {
    this.subscriber?.disconnect();
    this.commands?.disconnect();
  }

  /** Follows the channel (see followRedisChannel); messages go to `onMessage`, `replay` rereads the keys. */
  protected followChannel(options: Pick<RedisFollowOptions, 'onMessage' | 'replay' | 'synchronised'>): void {
    this.subscriber = followRedisChannel({ ...options, url: this.url, channel: this.channelName, onError: this.onError });
  }

  protected commandClient(): Redis {
    if (!this.commands) {
      this.commands = new Redis(this.url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
      this.commands.on('error', (error: Error) => this.onError(error));
    }
    return this.commands;
  }
}
