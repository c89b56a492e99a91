import { BroadcastChannel } from 'node:worker_threads';
import { type Revocation, type RevocationChannel, type RevocationFollower, parseRevocation } from './revocation.js';

/**
 * Revocations inside one process (the embedded stack: the users subgraph in
 * a worker thread, the gateway in the main thread). Every thread's channel of
 * the same name hears every message; what is still in force is kept here too,
 * so a follower that starts late in this thread replays it.
 */
export class InProcessRevocationChannel implements RevocationChannel {
  private readonly channel: BroadcastChannel;
  private readonly inForce = new Map<string, Revocation>();
  private readonly followers = new Set<RevocationFollower>();

  constructor(namespace: string) {
    this.channel = new BroadcastChannel(`cloudphone-revocations:${namespace}`);
    this.channel.onmessage = (message: unknown) => {
      const data = (message as { data?: unknown }).data;
      const revocation = typeof data === 'string' ? parseRevocation(data) : undefined;
      if (revocation) this.deliver(revocation);
    };
    // The channel must not keep the process alive on its own.
    (this.channel as unknown as { unref?: () => void }).unref?.();
  }

  async publish(revocation: Revocation): Promise<void> {
    this.channel.postMessage(JSON.stringify(revocation));
    this.deliver(revocation);
  }

  async follow(follower: RevocationFollower): Promise<void> {
    this.followers.add(follower);
    const now = Date.now();
    for (const revocation of this.inForce.values()) if (revocation.expiresAt > now) follower.revoked(revocation);
    follower.synchronised(true);
  }

  async close(): Promise<void> {
    this.followers.clear();
    this.channel.close();
  }

  private deliver(revocation: Revocation): void {
    const now = Date.now();
    for (const [key, kept] of this.inForce) if (kept.expiresAt <= now) this.inForce.delete(key);
    this.inForce.set(keyOf(revocation), revocation);
    for (const follower of this.followers) follower.revoked(revocation);
  }
}

export function keyOf(revocation: Revocation): string {
  return revocation.kind === 'credential' ? `credential:${revocation.credentialId}` : `user:${revocation.userId}`;
}
