import { RedisAnnouncedState } from '@cloudphone/resilience';
import { type DataChangeChannel, type DataChangeFollower, parseNotice } from './data-changes.js';

/** KEYS[1]: the subgraph's counter; ARGV: the channel, the subgraph. Publishes `<subgraph> <count>`, as formatNotice writes it. */
const COUNT_AND_ANNOUNCE = "local count = redis.call('INCR', KEYS[1]) redis.call('PUBLISH', ARGV[1], ARGV[2] .. ' ' .. count) return count";

/**
 * Data changes across machines, through Redis: a counter per subgraph (what a
 * gateway reads when it (re)connects) and a notice on one channel with the
 * new count (what running gateways hear at once). A follower that loses Redis
 * is told the stream is not whole until it has resubscribed and reread every
 * counter, so no change falls between the two.
 */
export class RedisDataChangeChannel extends RedisAnnouncedState implements DataChangeChannel {
  constructor(url: string, namespace: string, onError: (error: Error) => void = () => undefined) {
    super(url, `${namespace}:data-changes`, `${namespace}:data-generation:`, onError);
  }

  async announce(subgraphs: readonly string[]): Promise<void> {
    if (subgraphs.length === 0) return;
    // Counted and announced in one script: a counter never moves without its notice going out.
    const pipeline = this.commandClient().pipeline();
    for (const subgraph of subgraphs) pipeline.eval(COUNT_AND_ANNOUNCE, 1, this.keyPrefix + subgraph, this.channelName, subgraph);
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (!results || failed) throw failed ?? new Error('the data change was not announced');
  }

  async follow(subgraphs: readonly string[], follower: DataChangeFollower): Promise<void> {
    const followed = new Set(subgraphs);
    this.followChannel({
      onMessage: (message) => {
        const notice = parseNotice(message);
        if (notice && followed.has(notice.subgraph)) follower.changed(notice.subgraph, notice.generation);
      },
      replay: async () => {
        const counts = await this.commandClient().mget(...subgraphs.map((subgraph) => this.keyPrefix + subgraph));
        for (const [index, subgraph] of subgraphs.entries()) follower.changed(subgraph, counts[index] ?? '0');
      },
      synchronised: (whole) => follower.synchronised(whole),
    });
  }
}
