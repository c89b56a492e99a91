/**
 * Hears which subgraph's data changed. `generation` is an opaque token that
 * differs after every change of that subgraph's data; what was read under an
 * older token may be out of date.
 */
export interface DataChangeFollower {
  changed(subgraph: string, generation: string): void;
  /**
   * Whether the stream is whole: false from a lost connection until every
   * subgraph's current generation has been read again. Notices may have been
   * missed meanwhile, so nothing read before may be trusted.
   */
  synchronised(whole: boolean): void;
}

/**
 * Where subgraphs announce that their data changed (an event published from
 * their outbox, an event from another subgraph applied, a write through the
 * gateway), and where the gateway's subgraph cache hears it: Redis (a counter
 * per subgraph plus pub/sub) across machines, a BroadcastChannel inside one
 * process.
 */
export interface DataChangeChannel {
  /** Resolves once the change is counted and announced; rejects if it could not be. */
  announce(subgraphs: readonly string[]): Promise<void>;
  /** Tells the follower each subgraph's current generation, then every change, until closed. */
  follow(subgraphs: readonly string[], follower: DataChangeFollower): Promise<void>;
  close(): Promise<void>;
}

/** A notice on the wire: `<subgraph> <generation>`; subgraph names have no spaces. */
export function formatNotice(subgraph: string, generation: string): string {
  return `${subgraph} ${generation}`;
}

export function parseNotice(raw: string): { subgraph: string; generation: string } | undefined {
  const [subgraph, generation, extra] = raw.split(' ');
  if (!subgraph || !generation || extra !== undefined) return undefined;
  return { subgraph, generation };
}
