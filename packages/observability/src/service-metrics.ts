import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { OPERATION_TYPES, OUTCOMES, type OperationType, errorCodeLabel } from './labels.js';
import { processMetrics } from './process-metrics.js';
import { ScrapedReading } from './scraped-reading.js';

/** The metric names every service shares, so that one dashboard reads the gateway and all subgraphs. */
export const METRIC_NAMES = {
  requests: 'cloudphone_graphql_requests_total',
  requestDuration: 'cloudphone_graphql_request_duration_seconds',
  errors: 'cloudphone_graphql_errors_total',
  subgraphFetchErrors: 'cloudphone_subgraph_fetch_errors_total',
  subgraphCache: 'cloudphone_subgraph_cache_total',
  queryPlanCache: 'cloudphone_query_plan_cache_total',
  eventLag: 'cloudphone_event_lag_seconds',
  outboxBacklog: 'cloudphone_outbox_backlog',
  deadLetters: 'cloudphone_dead_letters',
} as const;

/** 5 ms to 10 s: a cached read to the slowest page a subgraph timeout still allows. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** 5 ms to 5 min: an event relayed at once to one waiting out retries or a broker outage. */
const EVENT_LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
/** How long a scrape waits for the database or the broker before it reports NaN (as the readiness probe waits). */
const SCRAPE_READ_TIMEOUT_MS = 2_000;

/** The part of a formatted GraphQL error that is counted. */
interface CodedError {
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export type SubgraphCacheOutcome = 'hit' | 'miss' | 'bypass' | 'error';
/** A query plan found in the gateway's plan store (hit), or planned for the request (miss). */
export type QueryPlanCacheOutcome = 'hit' | 'miss';

type CounterChild = ReturnType<Counter['labels']>;
type HistogramChild = ReturnType<Histogram['labels']>;

/**
 * The metrics of one service (the gateway, or one subgraph), in a registry
 * of its own: every series is labelled with `service`, and two services in
 * one process (or thread) never collide. The series of the request path are
 * bound once here, so counting a request allocates no label object.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'operation_type' | 'outcome'>;
  private readonly requestsBy: Record<OperationType, { success: CounterChild; error: CounterChild }>;
  private readonly durationsBy: Record<OperationType, HistogramChild>;
  private readonly errors: Counter<'code'>;
  private readonly errorsBy = new Map<string, CounterChild>();
  private readonly subgraphFetchErrors: Counter<'subgraph'>;
  private readonly subgraphCache: Counter<'subgraph' | 'outcome'>;
  private readonly queryPlanCacheBy: Record<QueryPlanCacheOutcome, CounterChild>;
  private readonly eventLag: Histogram<'routing_key'>;
  private readonly deadLetterReadings = new Map<string, ScrapedReading>();

  constructor(readonly service: string) {
    // Started with the first service of the process, so its counters cover the process's start.
    processMetrics();
    this.registry.setDefaultLabels({ service });
    const registers = [this.registry];
    this.requests = new Counter({ name: METRIC_NAMES.requests, help: 'GraphQL requests answered over HTTP, by operation type and outcome (error: the response has errors).', labelNames: ['operation_type', 'outcome'], registers });
    const duration = new Histogram({ name: METRIC_NAMES.requestDuration, help: 'Time from receiving a GraphQL request to its response, in seconds, by operation type.', labelNames: ['operation_type'], buckets: REQUEST_BUCKETS, registers });
    this.errors = new Counter({ name: METRIC_NAMES.errors, help: 'Errors in GraphQL responses, each counted once, by extensions.code (OTHER for a code that is not the platform\'s).', labelNames: ['code'], registers });
    this.subgraphFetchErrors = new Counter({ name: METRIC_NAMES.subgraphFetchErrors, help: 'Fetches from a subgraph that failed (unreachable, timed out, 5xx, or its circuit open), by subgraph.', labelNames: ['subgraph'], registers });
    this.subgraphCache = new Counter({
      name: METRIC_NAMES.subgraphCache,
      help: 'Subgraph reads looked up in the gateway\'s subgraph cache, by subgraph and outcome (hit, miss, bypass: not cacheable or not in sync, error: the store failed).',
      labelNames: ['subgraph', 'outcome'],
      registers,
    });
    const queryPlanCache = new Counter({
      name: METRIC_NAMES.queryPlanCache,
      help: 'Operations the gateway looked up in its query plan store, by outcome (hit: planned before, e.g. warmed from the operation manifest; miss: planned for this request).',
      labelNames: ['outcome'],
      registers,
    });
    this.queryPlanCacheBy = { hit: queryPlanCache.labels('hit'), miss: queryPlanCache.labels('miss') };
    this.eventLag = new Histogram({ name: METRIC_NAMES.eventLag, help: 'Time from an event occurring to its consumer receiving it, in seconds, by routing key (events applied, not duplicates).', labelNames: ['routing_key'], buckets: EVENT_LAG_BUCKETS, registers });
    const bind = (type: OperationType) => ({ success: this.requests.labels(type, 'success'), error: this.requests.labels(type, 'error') });
    this.requestsBy = { query: bind('query'), mutation: bind('mutation'), subscription: bind('subscription'), unknown: bind('unknown') };
    this.durationsBy = { query: duration.labels('query'), mutation: duration.labels('mutation'), subscription: duration.labels('subscription'), unknown: duration.labels('unknown') };
    // Every series of the request counter shows from the first scrape, at zero: rates need their start.
    for (const type of OPERATION_TYPES) for (const outcome of OUTCOMES) this.requestsBy[type][outcome].inc(0);
    // Only the gateway plans; its two series show from the first scrape, so a hit ratio has its start.
    if (service === 'gateway') for (const child of Object.values(this.queryPlanCacheBy)) child.inc(0);
  }

  /** One GraphQL response: counted by type and outcome, timed, and each of its errors counted by code. */
  recordRequest(operationType: OperationType, seconds: number, errors: readonly CodedError[] | undefined): void {
    const failed = errors !== undefined && errors.length > 0;
    this.requestsBy[operationType][failed ? 'error' : 'success'].inc();
    this.durationsBy[operationType].observe(seconds);
    if (failed) for (const error of errors) this.errorCounter(error.extensions?.['code']).inc();
  }

  /** A request refused before any operation ran (no identity, rate limited, too many tokens): one error of `code`. */
  recordRefusal(code: unknown): void {
    this.requestsBy.unknown.error.inc();
    this.errorCounter(code).inc();
  }

  /** A fetch from `subgraph` (a name of the supergraph) that failed. */
  recordSubgraphFetchError(subgraph: string): void {
    this.subgraphFetchErrors.inc({ subgraph });
  }

  /** A subgraph read the gateway's subgraph cache answered (hit), fetched and kept (miss), fetched without it (bypass), or could not use (error). */
  recordSubgraphCache(subgraph: string, outcome: SubgraphCacheOutcome): void {
    this.subgraphCache.inc({ subgraph, outcome });
  }

  /** A lookup in the gateway's query plan store (only the gateway plans). */
  recordQueryPlanCache(outcome: QueryPlanCacheOutcome): void {
    this.queryPlanCacheBy[outcome].inc();
  }

  /** An event of `routingKey` (a key of the catalog) applied `seconds` after it occurred; clocks that disagree count as 0. */
  observeEventLag(routingKey: string, seconds: number): void {
    this.eventLag.observe({ routing_key: routingKey }, Math.max(0, seconds));
  }

  /** Reports, at each scrape, the outbox rows not yet published. */
  watchOutboxBacklog(read: () => Promise<number>): void {
    const reading = new ScrapedReading(read, SCRAPE_READ_TIMEOUT_MS);
    const gauge: Gauge = new Gauge({
      name: METRIC_NAMES.outboxBacklog,
      help: 'Outbox rows not yet published to the broker, read at scrape time (NaN when the database did not answer in time).',
      registers: [this.registry],
      collect: async () => gauge.set(await reading.value()),
    });
  }

  /** Reports, at each scrape, the messages in `consumer`'s dead-letter queue. */
  watchDeadLetters(consumer: string, read: () => Promise<number>): void {
    if (this.deadLetterReadings.size === 0) {
      const gauge: Gauge<'consumer'> = new Gauge({
        name: METRIC_NAMES.deadLetters,
        help: 'Messages in a consumer\'s dead-letter queue, read at scrape time (NaN when the broker did not answer in time).',
        labelNames: ['consumer'],
        registers: [this.registry],
        collect: async () => {
          const readings = [...this.deadLetterReadings];
          const values = await Promise.all(readings.map(([, reading]) => reading.value()));
          readings.forEach(([name], index) => gauge.set({ consumer: name }, values[index] ?? Number.NaN));
        },
      });
    }
    this.deadLetterReadings.set(consumer, new ScrapedReading(read, SCRAPE_READ_TIMEOUT_MS));
  }

  /** The Prometheus text of this service's metrics, and of the process's when it runs in the main thread. */
  async render(): Promise<string> {
    const process = processMetrics();
    const own = await this.registry.metrics();
    return process ? `${await process.metrics()}\n${own}` : own;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private errorCounter(code: unknown): CounterChild {
    const label = errorCodeLabel(code);
    let counter = this.errorsBy.get(label);
    if (!counter) {
      counter = this.errors.labels(label);
      this.errorsBy.set(label, counter);
    }
    return counter;
  }
}
