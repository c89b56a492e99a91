import { hostname } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import type { ErrorLogger } from '@cloudphone/errors';
import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';

export type { Logger };
export type LogLevel = LevelWithSilent;

export interface LoggerOptions {
  /** The `service` field of every line. */
  service: string;
  level: LogLevel;
  /** Where the lines go; default: standard error (see `standardError`). */
  destination?: DestinationStream;
}

let processDestination: DestinationStream | undefined;

/**
 * Standard error, written without blocking. The main thread shares one
 * asynchronous writer (flushed when the process exits); a worker thread
 * writes to its own stderr, which its parent reads (the stack keeps the last
 * lines of each subgraph thread) and passes on.
 */
function standardError(): DestinationStream {
  if (!isMainThread) return process.stderr;
  processDestination ??= pino.destination({ dest: 2, sync: false });
  return processDestination;
}

/**
 * One JSON line per entry: `level` (its name), `time` (ISO 8601), `service`,
 * `message`, and the entry's fields (`requestId` on request-scoped lines).
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.service, pid: process.pid, hostname: hostname() },
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? standardError(),
  );
}

/** The error formatter's log of an unexpected error (INTERNAL_ERROR to the client): one line with the request id and the stack. */
export function unexpectedErrorLog(logger: Logger): ErrorLogger {
  return (entry) => {
    logger.error(
      {
        code: 'INTERNAL_ERROR',
        requestId: entry.requestId,
        // A subgraph's failure relayed by the gateway names the subgraph it came from.
        ...(entry.service === logger.bindings()['service'] ? {} : { origin: entry.service }),
        stack: entry.stack,
      },
      entry.message,
    );
  };
}
