import autocannon from 'autocannon';
import { percentile } from '../results-file.js';

/**
 * How long a load run lasts: a time, or a fixed number of requests per
 * connection, at least `atLeast` in all (the short mode: the same small
 * amount of work whatever the page costs, so a slow page still completes
 * requests at concurrency 50, and enough that the server's CPU time, read in
 * clock ticks, moves).
 */
export type LoadLength = { seconds: number } | { requestsPerConnection: number; atLeast: number };

export interface LoadOptions {
  url: string;
  headers: Readonly<Record<string, string>>;
  /** The JSON body of every request. */
  body: string;
  connections: number;
  length: LoadLength;
}

/** What one load run measured. Latencies are autocannon's per-response times, in milliseconds. */
export interface LoadResult {
  connections: number;
  /** How long the run took (its set length, or the time its requests took). */
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Connection errors, timeouts, non-2xx answers, and 2xx answers carrying GraphQL errors or no data. */
  errors: number;
}

/**
 * A GraphQL answer counts as an error unless it has data and no `errors`
 * (a gateway answers 200 with `errors` when a subgraph fails). A substring
 * test, not a parse: the check must not cost the load generator more than
 * the answer cost the server.
 */
function isGraphqlError(body: string): boolean {
  return !body.startsWith('{"data":{') || body.includes('"errors":[');
}

/**
 * Drives `url` with autocannon: `connections` clients, each sending the next
 * request when its answer arrives, for the run's length. Every answer's
 * latency is kept (autocannon's summary has no p95) and its body checked.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let graphqlErrors = 0;
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        ...('seconds' in options.length ? { duration: options.length.seconds } : { amount: Math.max(options.length.atLeast, options.length.requestsPerConnection * options.connections) }),
        requests: [
          {
            method: 'POST',
            headers: { ...options.headers },
            body: options.body,
            onResponse: (status, body) => {
              if (status === 200 && isGraphqlError(body)) graphqlErrors += 1;
            },
          },
        ],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
  latencies.sort((a, b) => a - b);
  // autocannon's own duration is whole seconds at best; a fixed amount is timed by its own clock here.
  const durationSeconds = 'seconds' in options.length ? options.length.seconds : (performance.now() - started) / 1000;
  return {
    connections: options.connections,
    durationSeconds,
    requests: latencies.length,
    requestsPerSecond: latencies.length / durationSeconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: result.errors + result.timeouts + result.non2xx + graphqlErrors,
  };
}
