import type { DataChangeChannel } from './data-changes.js';

/** How long a failed announcement waits before it is tried again. */
const RETRY_MS = 1_000;

/**
 * Announces that one subgraph's data changed, from that subgraph. Changes
 * that come while an announcement is out are folded into one more after it
 * (a burst of events costs two notices, not one per event); a failed
 * announcement is retried until it goes out, since a change never announced
 * would leave gateways serving answers from before it until they expire.
 */
export class ChangeAnnouncer {
  private running = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly channel: DataChangeChannel,
    private readonly subgraph: string,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  /** The subgraph's data changed (committed): every gateway is told, soon. */
  changed(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.announce();
  }

  stop(): void {
    this.stopped = true;
  }

  private async announce(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.channel.announce([this.subgraph]);
      } catch (error) {
        this.onError(error as Error);
        this.again = true;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref());
      }
    } while (this.again && !this.stopped);
    this.running = false;
  }
}
