import { createHash } from 'node:crypto';
import type { DataChangeChannel, DataChangeFollower } from '@cloudphone/data-changes';
import type { Principal } from '@cloudphone/identity';
import type { SubgraphCacheOutcome } from '@cloudphone/observability';
import type { AnswerStore } from './answer-store.js';
import type { Fetcher } from './subgraph-fetcher.js';

type FetcherResponse = Awaited<ReturnType<Fetcher>>;

export interface SubgraphCacheOptions {
  /** How long an answer is kept at most: the bound for data a subgraph changes without announcing it. */
  ttlMs: number;
  /** Answers longer than this (in characters) are not kept. */
  maxAnswerLength: number;
  /** Key prefix (`<namespace>:subgraph-cache:`), one per deployment. */
  namespace: string;
  /** Told of every lookup's outcome (metrics). */
  observe: (subgraph: string, outcome: SubgraphCacheOutcome) => void;
  /** Told when announcing a change failed (it is retried until it goes out). */
  onError: (error: Error) => void;
}

/** How long a failed announcement waits before it is tried again. */
const ANNOUNCE_RETRY_MS = 1_000;

/** Only a whole answer with data and no error is kept: errors carry request ids and may be transient. */
function keepable(body: string, maxLength: number): boolean {
  return body.length <= maxLength && body.startsWith('{"data":{') && !body.includes('"errors":');
}

/**
 * The gateway's cache of subgraph answers, for reads (queries and
 * `_entities`). An answer is kept per subgraph, per principal (everything the
 * principal carries: user, tenant, roles, policy, scopes) and per request
 * body, with the generation of that subgraph's data it was read under. It is
 * served only while that generation is still current, so:
 *
 * - never to another principal, who may see other data;
 * - never after a change this gateway has heard of. Generations move when a
 *   subgraph publishes an event from its outbox, when it applies an event of
 *   another (its copies, its notifications), and when a write passes through
 *   any gateway; they travel on the data change channel (Redis, or in process).
 * - never while the channel is not in sync (a lost Redis connection) or while
 *   a change this gateway made is not yet announced: reads then go to the
 *   subgraph, as without a cache.
 *
 * What a subgraph changes without an event (a node's heartbeat time) is
 * served at most `ttlMs` old.
 */
export class SubgraphCache implements DataChangeFollower {
  private readonly generations = new Map<string, string>();
  /** Changes made through this gateway and not yet announced, by subgraph: those subgraphs are read directly. */
  private readonly unannounced = new Map<string, number>();
  private readonly principalKeys = new WeakMap<Principal, string>();
  private inSync = false;
  private closed = false;

  constructor(
    private readonly store: AnswerStore,
    private readonly channel: DataChangeChannel,
    private readonly options: SubgraphCacheOptions,
  ) {}

  /** Follows the data changes of these subgraphs; answers are served once the channel is in sync. */
  start(subgraphs: readonly string[]): Promise<void> {
    return this.channel.follow(subgraphs, this);
  }

  changed(subgraph: string, generation: string): void {
    this.generations.set(subgraph, generation);
  }

  synchronised(whole: boolean): void {
    this.inSync = whole;
  }

  /** The key of everything a principal may see: two principals share answers only if they are the same in every respect. */
  scopeOf(principal: Principal): string {
    let key = this.principalKeys.get(principal);
    if (key === undefined) {
      key = createHash('sha256').update(JSON.stringify(principal)).digest('base64url');
      this.principalKeys.set(principal, key);
    }
    return key;
  }

  /**
   * A change made through this gateway (a write it sent, a status event it
   * received): these subgraphs are read directly until the change is
   * announced to every gateway, which is retried until it succeeds.
   */
  async changedHere(subgraphs: readonly string[]): Promise<void> {
    for (const subgraph of subgraphs) this.unannounced.set(subgraph, (this.unannounced.get(subgraph) ?? 0) + 1);
    const settled = () => {
      for (const subgraph of subgraphs) {
        const left = (this.unannounced.get(subgraph) ?? 1) - 1;
        if (left > 0) this.unannounced.set(subgraph, left);
        else this.unannounced.delete(subgraph);
      }
    };
    const attempt = async (): Promise<void> => {
      try {
        await this.channel.announce(subgraphs);
        settled();
      } catch (error) {
        this.options.onError(error as Error);
        if (this.closed) return settled();
        setTimeout(() => void attempt(), ANNOUNCE_RETRY_MS).unref();
      }
    };
    await attempt();
  }

  /**
   * Answers a read of `subgraph` by `scope` (see scopeOf) from the cache when
   * it holds a current answer, else by `load`, keeping its answer.
   */
  async fetch(subgraph: string, scope: string, url: string, body: string, load: () => Promise<FetcherResponse>): Promise<FetcherResponse> {
    const generation = this.currentGeneration(subgraph);
    if (generation === undefined) {
      this.options.observe(subgraph, 'bypass');
      return load();
    }
    const key = `${this.options.namespace}:subgraph-cache:${subgraph}:${createHash('sha256').update(`${scope}\n${url}\n${body}`).digest('base64url')}`;
    let kept: string | undefined;
    try {
      kept = (await this.store.get(key))?.value;
    } catch (error) {
      this.options.observe(subgraph, 'error');
      this.options.onError(error as Error);
      return load();
    }
    const separator = kept?.indexOf('\n') ?? -1;
    // Checked again after the lookup: a change may have been heard meanwhile.
    if (kept !== undefined && separator > 0 && kept.slice(0, separator) === generation && this.currentGeneration(subgraph) === generation) {
      this.options.observe(subgraph, 'hit');
      return new Response(kept.slice(separator + 1), { status: 200, headers: { 'content-type': 'application/json' } });
    }
    this.options.observe(subgraph, 'miss');
    const response = await load();
    if (response.status !== 200) return response;
    const answer = await response.text();
    // Kept under the generation read before the fetch: if the data changed while it ran, it is never served.
    if (keepable(answer, this.options.maxAnswerLength) && this.currentGeneration(subgraph) === generation) {
      this.store.set(key, `${generation}\n${answer}`, this.options.ttlMs).catch((error: Error) => {
        this.options.observe(subgraph, 'error');
        this.options.onError(error);
      });
    }
    return new Response(answer, { status: response.status, headers: [...response.headers] as [string, string][] });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.channel.close();
  }

  /** The generation answers of `subgraph` must carry to be served, or undefined when none may be. */
  private currentGeneration(subgraph: string): string | undefined {
    if (!this.inSync || this.unannounced.has(subgraph)) return undefined;
    return this.generations.get(subgraph);
  }
}
