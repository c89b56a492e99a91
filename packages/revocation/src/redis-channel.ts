import { RedisAnnouncedState } from '@cloudphone/resilience';
import { keyOf } from './in-process-channel.js';
import { type Revocation, type RevocationChannel, type RevocationFollower, parseRevocation } from './revocation.js';

/**
 * Revocations across machines, through Redis: each one is a key that expires
 * with the last token it covers (what a gateway reads when it (re)connects)
 * and a message on one channel (what running gateways hear at once). A
 * gateway that loses Redis reports itself out of sync until it has resubscribed
 * and reread every key, so no revocation falls between the two.
 */
export class RedisRevocationChannel extends RedisAnnouncedState implements RevocationChannel {
  constructor(url: string, namespace: string, onError: (error: Error) => void = () => undefined) {
    super(url, `${namespace}:revocations`, `${namespace}:revoked:`, onError);
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
    this.followChannel({
      onMessage: (message) => {
        const revocation = parseRevocation(message);
        if (revocation) follower.revoked(revocation);
      },
      replay: () => this.replay(follower),
      synchronised: (whole) => follower.synchronised(whole),
    });
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
}
