import { BroadcastChannel } from 'node:worker_threads';
import type { Redis } from 'ioredis';
import { type ConfigChange, changesChannel, parseChange } from './items.js';

export interface ChangeListener {
  /** A change the owner committed. */
  onChange(change: ConfigChange): void;
  /**
   * Whether changes are being heard: false while the subscription is cut
   * (announcements made meanwhile are lost, so no copy may be trusted), true
   * once it is in place again.
   */
  onLive(live: boolean): void;
}

/** How the owner announces a change and every replica hears it. */
export interface ChangeBus {
  announce(change: ConfigChange): Promise<void>;
  /** Starts hearing changes (`onLive(true)` once subscribed); resolves to a function that stops. */
  listen(listener: ChangeListener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * Changes over Redis pub/sub on `<namespace>:config:changed`: PUBLISH on the
 * command connection, SUBSCRIBE on a connection of its own (a subscribed
 * connection runs no other command), made on first `listen`. The channel is
 * subscribed anew on every (re)connect, and listeners are live only once
 * Redis confirmed it: nothing published before that point is relied on.
 */
export class RedisChangeBus implements ChangeBus {
  private readonly channel: string;
  private subscriber: Redis | undefined;
  private live = false;
  private readonly listeners = new Set<ChangeListener>();

  constructor(
    namespace: string,
    private readonly commands: Redis,
    private readonly openSubscriber: () => Redis,
    private readonly onError: (error: unknown) => void,
  ) {
    this.channel = changesChannel(namespace);
  }

  async announce(change: ConfigChange): Promise<void> {
    await this.commands.publish(this.channel, JSON.stringify(change));
  }

  async listen(listener: ChangeListener): Promise<() => Promise<void>> {
    this.listeners.add(listener);
    if (this.live) listener.onLive(true);
    this.subscriber ??= this.subscribe();
    return async () => {
      this.listeners.delete(listener);
    };
  }

  private subscribe(): Redis {
    const subscriber = this.openSubscriber();
    const setLive = (live: boolean) => {
      if (live === this.live) return;
      this.live = live;
      for (const each of this.listeners) each.onLive(live);
    };
    subscriber.on('ready', () => {
      subscriber.subscribe(this.channel).then(
        () => setLive(true),
        (error: unknown) => this.onError(error),
      );
    });
    subscriber.on('close', () => setLive(false));
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const change = parseChange(message);
      if (change === undefined) {
        this.onError(new Error(`unreadable configuration change on ${channel}: ${message.slice(0, 200)}`));
        return;
      }
      for (const each of this.listeners) each.onChange(change);
    });
    return subscriber;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    // At once: QUIT would wait for a server that may never answer, and nothing is owed to it.
    subscriber?.disconnect();
  }
}

/**
 * The embedded mode's bus: the subgraphs are worker threads of one process,
 * so a BroadcastChannel named like the Redis channel reaches all of them.
 */
export class InProcessChangeBus implements ChangeBus {
  private readonly channel: BroadcastChannel;
  private readonly listeners = new Set<ChangeListener>();

  constructor(
    namespace: string,
    private readonly onError: (error: unknown) => void,
  ) {
    this.channel = new BroadcastChannel(changesChannel(namespace));
    this.channel.unref();
    this.channel.onmessage = (event) => {
      const raw = String((event as MessageEvent).data);
      const change = parseChange(raw);
      if (change === undefined) this.onError(new Error(`unreadable configuration change: ${raw.slice(0, 200)}`));
      else for (const each of this.listeners) each.onChange(change);
    };
  }

  async announce(change: ConfigChange): Promise<void> {
    this.channel.postMessage(JSON.stringify(change));
  }

  async listen(listener: ChangeListener): Promise<() => Promise<void>> {
    this.listeners.add(listener);
    listener.onLive(true);
    return async () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.channel.close();
  }
}
