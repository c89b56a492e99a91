import { Redis } from 'ioredis';
import { keyOf } from './in-process-channel.js';
import { type Revocation, type RevocationChannel, type RevocationFollower, parseRevocation } from './revocation.js';

/**
 * Revocations across machines, through Redis: each one is a key that expires
 * with the last token it covers (what a gateway reads when it (re)connects)
 * and a message on one channel (what running gateways hear at once). A
 * gateway that loses Redis reports itself out of sync until it has resubscribed
 * and reread every key, so no revocation falls between the two.
 */
export class RedisRevocationChannel implements RevocationChannel {
  private commands: Redis | undefined;
  private subscriber: Redis | undefined;
  private readonly channelName: string;
  private readonly keyPrefix: string;

  constructor(
    private readonly url: string,
    namespace: string,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {
    this.channelName = `${namespace}:revocations`;
    this.keyPrefix = `${namespace}:revoked:`;
  }

  async publish(revocation: Revocation): Promise<void> {
    const ttlMs = revocation.expiresAt - Date.now();
    if (ttlMs <= 0) return;
    const payload = JSON.stringify(revocation);
    const result = await this.commandClient().multi().set(this.keyPrefix + keyOf(revocation), payload, 'PX', ttlMs).publish(this.channelName, payload).exec();
    const failed = result?.find(([error]) => error !== null)?.[0];
    if (!result || failed) throw failed ?? new Error('the revocation transaction was discarded');
  }

  async follow(follower: RevocationFollower): Promise<void> {
    // Connects (and reconnects) on its own; until it is ready, followers are told the stream is not whole.
    const subscriber = new Redis(this.url, { maxRetriesPerRequest: null, autoResubscribe: true });
    this.subscriber = subscriber;
    subscriber.on('error', (error: Error) => this.onError(error));
    subscriber.on('close', () => follower.synchronised(false));
    subscriber.on('message', (_channel: string, message: string) => {
      const revocation = parseRevocation(message);
      if (revocation) follower.revoked(revocation);
    });
    // Each (re)connection: subscribed first, then every key reread, then whole again.
    const synchronise = async () => {
      try {
        await this.replay(follower);
        follower.synchronised(true);
      } catch (error) {
        this.onError(error as Error);
      }
    };
    subscriber.on('ready', () => {
      // ioredis resubscribes on reconnection before 'ready' handlers run; the first time, subscribe here.
      void subscriber.subscribe(this.channelName).then(synchronise, (error: Error) => this.onError(error));
    });
  }

  /** Disconnects at once (publish has already awaited its reply): `quit` would wait for a server that may never answer. */
  async close(): Promise<void> {
    this.subscriber?.disconnect();
    this.commands?.disconnect();
  }

  private async replay(follower: RevocationFollower): Promise<void> {
    const client = this.commandClient();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${this.keyPrefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length === 0) continue;
      for (const value of await client.mget(...keys)) {
        const revocation = value === null ? undefined : parseRevocation(value);
        if (revocation) follower.revoked(revocation);
      }
    } while (cursor !== '0');
  }

  private commandClient(): Redis {
    if (!this.commands) {
      this.commands = new Redis(this.url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
      this.commands.on('error', (error: Error) => this.onError(error));
    }
    return this.commands;
  }
}
