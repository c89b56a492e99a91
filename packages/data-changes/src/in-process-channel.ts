import { BroadcastChannel } from 'node:worker_threads';
import { type DataChangeChannel, type DataChangeFollower, formatNotice, parseNotice } from './data-changes.js';

/**
 * Data changes inside one process (the embedded stack: subgraphs in worker
 * threads, the gateway in the main thread). A notice carries no number: each
 * channel counts the notices it hears, so generations are local to the
 * thread that follows them, which is where the embedded gateway keeps its
 * cache too.
 */
export class InProcessDataChangeChannel implements DataChangeChannel {
  private readonly channel: BroadcastChannel;
  private readonly counts = new Map<string, number>();
  private readonly followers = new Set<{ subgraphs: ReadonlySet<string>; follower: DataChangeFollower }>();

  constructor(namespace: string) {
    this.channel = new BroadcastChannel(`cloudphone-data-changes:${namespace}`);
    this.channel.onmessage = (message: unknown) => {
      const data = (message as { data?: unknown }).data;
      const notice = typeof data === 'string' ? parseNotice(data) : undefined;
      if (notice) this.deliver(notice.subgraph);
    };
    // The channel must not keep the process alive on its own.
    (this.channel as unknown as { unref?: () => void }).unref?.();
  }

  async announce(subgraphs: readonly string[]): Promise<void> {
    for (const subgraph of subgraphs) {
      this.channel.postMessage(formatNotice(subgraph, '+'));
      this.deliver(subgraph);
    }
  }

  async follow(subgraphs: readonly string[], follower: DataChangeFollower): Promise<void> {
    this.followers.add({ subgraphs: new Set(subgraphs), follower });
    for (const subgraph of subgraphs) follower.changed(subgraph, String(this.counts.get(subgraph) ?? 0));
    follower.synchronised(true);
  }

  async close(): Promise<void> {
    this.followers.clear();
    this.channel.close();
  }

  private deliver(subgraph: string): void {
    const count = (this.counts.get(subgraph) ?? 0) + 1;
    this.counts.set(subgraph, count);
    for (const { subgraphs, follower } of this.followers) if (subgraphs.has(subgraph)) follower.changed(subgraph, String(count));
  }
}
