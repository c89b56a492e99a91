import type { LogLevel } from '@cloudphone/config';
import type { DatabaseTarget, RecordedStatement } from '@cloudphone/db';
import type { PeerUrls, SharedCacheSettings } from '@cloudphone/subgraph-kit';

/**
 * Each subgraph runs in its own worker thread: NestJS keeps code-first type
 * metadata in module-global storage, so two subgraphs that both declare a
 * `User` type cannot share one module graph. A worker is as isolated as a
 * process but starts faster and shares the process's memory budget.
 */
export type SubgraphWorkerData =
  | { mode: 'print'; name: string; peers: string[] }
  | {
      mode: 'serve';
      name: string;
      target: DatabaseTarget;
      port: number;
      host: string;
      peers: PeerUrls;
      /** Rows to load when the database is empty (first start). */
      seed: unknown;
      /** Echo a subgraph process's output (threads always pass theirs on). */
      verbose: boolean;
      /** The subgraph's LOG_LEVEL. */
      logLevel: LogLevel;
      events: EventSettings;
      /** The secret the gateway and every subgraph sign and verify identities with. */
      internalSecret: string;
      /** Redis for token revocations and the configuration cache; in process without it. */
      redisUrl: string | undefined;
      /** Where the subgraph sends its spans (OTLP/HTTP); undefined: no tracing. */
      tracesUrl: string | undefined;
    };

/** How the subgraphs exchange events: RabbitMQ when `amqpUrl` is set, else in process. */
export interface EventSettings {
  amqpUrl?: string | undefined;
  /** Exchange/queue prefix or in-process channel name: one per stack. */
  namespace: string;
  retry: { maxAttempts: number; baseMs: number; factor: number };
}

/** What the parent asks a serving thread. */
export type WorkerQuestion =
  | { type: 'statements' }
  /** Starts keeping the request path's statements (text and params), or stops and forgets them. */
  | { type: 'record-statements'; on: boolean }
  | { type: 'recorded-statements' }
  | { type: 'close' };

export type WorkerRequest = WorkerQuestion & { id: number };

export type WorkerMessage =
  | { type: 'printed'; sdl: string }
  | { type: 'ready'; url: string; seeded: boolean; databaseKind: string }
  | { type: 'failed'; message: string; stack?: string | undefined }
  | { type: 'reply'; id: number; value: number | RecordedStatement[] | null }
  | { type: 'reply-error'; id: number; message: string };
