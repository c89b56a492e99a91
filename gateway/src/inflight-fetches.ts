import { IDENTITY_HEADER } from '@cloudphone/identity';
import type { Fetcher } from './subgraph-fetcher.js';

type FetcherInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

/** A subgraph's answer read whole, so that every fetch waiting for it gets a response of its own. */
interface SharedAnswer {
  status: number;
  headers: [string, string][];
  body: string;
}

/**
 * De-duplicates identical subgraph reads in flight: a fetch with the same
 * URL, the same signed identity and the same body as one still under way
 * waits for that one's answer instead of asking again (under load, many
 * clients open the same page at once). The identity is part of the key, so
 * an answer is only ever shared between fetches of the same principal, who
 * may see all of it; only reads are passed in, and nothing outlives the fetch.
 *
 * A read never joins one that started before a change this gateway knows of:
 * every write it sends and every device status event it receives starts a
 * new generation, and the generation is part of the key. (So a client that
 * saw its mutation answered, or an event, reads what followed it.)
 */
export class InflightFetches {
  private readonly pending = new Map<string, Promise<SharedAnswer>>();
  private sharedCount = 0;
  private generation = 0;

  /** `enabled: false` fetches every read on its own (SUBGRAPH_SHARE_INFLIGHT=false). */
  constructor(private readonly enabled = true) {}

  /** Reads from now on do not join reads already in flight: something may have changed since they started. */
  newGeneration(): void {
    this.generation += 1;
  }

  /** Fetches answered by another fetch's answer, so far. */
  get shared(): number {
    return this.sharedCount;
  }

  async fetch(url: string, init: FetcherInit | undefined, load: () => Promise<FetcherResponse>): Promise<FetcherResponse> {
    const identity = init?.headers?.[IDENTITY_HEADER];
    // Without an identity or a text body there is nothing safe to key on: fetched alone.
    if (!this.enabled || identity === undefined || typeof init?.body !== 'string') return load();
    const key = `${this.generation}\n${url}\n${identity}\n${init.body}`;
    let answer = this.pending.get(key);
    if (answer) {
      this.sharedCount += 1;
    } else {
      answer = load()
        .then(async (response) => ({ status: response.status, headers: [...response.headers] as [string, string][], body: await response.text() }))
        .finally(() => this.pending.delete(key));
      this.pending.set(key, answer);
    }
    const { status, headers, body } = await answer;
    return new Response(body, { status, headers });
  }
}
