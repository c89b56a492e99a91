import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Context, ProxyTracerProvider, ROOT_CONTEXT, type Span, SpanKind, type SpanOptions, SpanStatusCode, type Tracer, type TracerOptions, type TracerProvider, context, propagation, trace } from '@opentelemetry/api';
// The SDK, the exporter and their helpers are loaded when tracing starts, not before: some 400 files, a second of
// module loading per process or thread that most services, and every test stack, never trace with.
import type { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

/** A service's registered tracer provider; `stop` exports what is still buffered. */
export interface Tracing {
  readonly service: string;
  stop(): Promise<void>;
}

const NO_TRACING = new ProxyTracerProvider();

/** A tracer that asks its provider for the current service's tracer on every span. */
class CurrentServiceTracer implements Tracer {
  constructor(private readonly resolve: () => Tracer) {}

  startSpan(name: string, options?: SpanOptions, parent?: Context): Span {
    return this.resolve().startSpan(name, options, parent);
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, parent: Context, fn: F): ReturnType<F>;
  startActiveSpan(...args: unknown[]): unknown {
    const tracer = this.resolve();
    return Reflect.apply(tracer.startActiveSpan, tracer, args);
  }
}

/**
 * The thread's global tracer provider, registered once: Apollo's gateway and
 * our modules keep the tracer they got at load, so a service started after
 * another one stopped in the same thread (test files start stacks one after
 * the other) swaps the provider behind them instead of registering anew.
 */
class CurrentServiceTracerProvider implements TracerProvider {
  current: { service: string; provider: BasicTracerProvider } | undefined;

  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    return new CurrentServiceTracer(() => (this.current?.provider ?? NO_TRACING).getTracer(name, version, options));
  }
}

let threadProvider: CurrentServiceTracerProvider | undefined;

async function registerForThread(): Promise<CurrentServiceTracerProvider> {
  if (threadProvider === undefined) {
    const [{ AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }] = await Promise.all([import('@opentelemetry/context-async-hooks'), import('@opentelemetry/core')]);
    if (threadProvider !== undefined) return threadProvider;
    threadProvider = new CurrentServiceTracerProvider();
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(threadProvider);
  }
  return threadProvider;
}

/**
 * Registers this thread's tracer provider (OpenTelemetry's globals are per
 * thread: each subgraph thread of the stack registers its own; one service
 * per thread): spans batched to `tracesUrl` over OTLP/HTTP (JSON), W3C trace
 * context (`traceparent`) to propagate them, and the active span followed
 * across async calls. Without a URL it registers nothing and returns
 * undefined: the API's no-op tracer costs nothing, and callers leave their
 * clients and headers untouched.
 */
export async function startTracing(service: string, tracesUrl: string | undefined): Promise<Tracing | undefined> {
  if (tracesUrl === undefined) return undefined;
  const [thread, { BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    registerForThread(),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  if (thread.current) throw new Error(`${service}: this thread already traces ${thread.current.service} (one traced service per thread)`);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl }))],
  });
  thread.current = { service, provider };
  return {
    service,
    stop: async () => {
      if (thread.current?.provider === provider) thread.current = undefined;
      await provider.shutdown();
    },
  };
}

/** The headers that carry the active span to a service called now: `traceparent` (and `tracestate`); none when tracing is off. */
export function activeTraceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}

/**
 * Runs `work` (handling one message) in a consumer span named `name`: a child
 * of the span that raised the message when it carries a `traceparent`, else a
 * new trace. A failure is recorded on the span and rethrown.
 */
export function consumerSpan<T>(name: string, traceparent: string | undefined, attributes: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const parent = traceparent === undefined ? ROOT_CONTEXT : propagation.extract(ROOT_CONTEXT, { traceparent });
  return trace.getTracer('@cloudphone/observability').startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Express-style middleware running each request inside a server span named
 * `<METHOD> <path>`: a child of the caller's span when the request carries a
 * `traceparent` (the gateway's fetch, a peer subgraph), else a new trace.
 * The span ends when the response is done; a 5xx marks it failed.
 */
export function serverSpans(path: string): (request: IncomingMessage, response: ServerResponse, next: () => void) => void {
  const tracer = trace.getTracer('@cloudphone/observability');
  return (request, response, next) => {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const method = request.method ?? 'GET';
    const span = tracer.startSpan(`${method} ${path}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': path } }, parent);
    response.once('close', () => {
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
