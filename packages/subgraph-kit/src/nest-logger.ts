import type { Logger } from '@cloudphone/observability';
import type { LoggerService } from '@nestjs/common';

// What Nest's own ConsoleLogger takes for a stack trace in `error(message, stack?, context?)`.
const STACK_TRACE = /^(.)+\n\s+at .+:\d+:\d+/;

/**
 * Nest's log lines (its own, and every `new Logger(context)` of a subgraph)
 * as JSON lines of the subgraph's logger, filtered by its level. Nest passes
 * the context last, and a stack trace before it on errors.
 */
export class NestJsonLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.logger.info(contextOf(params), text(message));
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.logger.warn(contextOf(params), text(message));
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.logger.debug(contextOf(params), text(message));
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.logger.trace(contextOf(params), text(message));
  }

  error(message: unknown, ...params: unknown[]): void {
    this.logger.error(errorFieldsOf(message, params), text(message));
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.logger.fatal(errorFieldsOf(message, params), text(message));
  }
}

function text(message: unknown): string {
  if (message instanceof Error) return message.message;
  return typeof message === 'string' ? message : JSON.stringify(message);
}

function contextOf(params: unknown[]): { context?: string } {
  const last = params.at(-1);
  return typeof last === 'string' ? { context: last } : {};
}

function errorFieldsOf(message: unknown, params: unknown[]): { context?: string; stack?: string } {
  const [first] = params;
  const stackParam = typeof first === 'string' && STACK_TRACE.test(first) ? first : undefined;
  const stack = message instanceof Error ? message.stack : stackParam;
  // The last parameter is the context, unless it is the lone stack trace.
  const context = params.length === 1 && stackParam !== undefined ? {} : contextOf(params);
  return stack === undefined ? context : { ...context, stack };
}
