import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { activeTraceHeaders } from '@cloudphone/observability';
import { type EventPayload, type RoutingKey, currentVersion, isRoutingKey, payloadSchema } from './catalog.js';

/** The one envelope of every event (DESIGN.md). */
export interface EventEnvelope<K extends RoutingKey = RoutingKey> {
  id: string;
  type: K;
  /** Version of `data`'s shape for this routing key. */
  version: number;
  occurredAt: string;
  /** The publishing subgraph. */
  source: string;
  tenantId: string | null;
  userId: string | null;
  /** Shared by every event that follows from one request. */
  correlationId: string;
  /** The event (or request) that caused this one. */
  causationId: string | null;
  data: EventPayload<K>;
  /**
   * Outside the versioned payload. `traceparent`: the span that raised the
   * event, when its service traces; the consumer's span continues that trace.
   */
  metadata: { requestId: string | null; traceparent?: string };
}

export type AnyEventEnvelope = { [K in RoutingKey]: EventEnvelope<K> }[RoutingKey];

const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string(),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
  source: z.string().min(1),
  tenantId: z.uuid().nullable(),
  userId: z.uuid().nullable(),
  correlationId: z.string().min(1),
  causationId: z.string().nullable(),
  data: z.unknown(),
  metadata: z.object({ requestId: z.string().nullable(), traceparent: z.string().optional() }),
});

export class InvalidEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

/**
 * Validates anything received as an event: the envelope, a known routing
 * key, and the payload against its version's schema. Consumers call it on
 * every message; what fails goes to the dead-letter queue with the reason.
 */
export function parseEnvelope(raw: unknown): AnyEventEnvelope {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) throw new InvalidEventError(`invalid envelope: ${envelope.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  const { type, version } = envelope.data;
  if (!isRoutingKey(type)) throw new InvalidEventError(`unknown routing key "${type}"`);
  const schema = payloadSchema(type, version);
  if (!schema) throw new InvalidEventError(`unknown version ${version} of ${type}`);
  const data = schema.safeParse(envelope.data.data);
  if (!data.success) throw new InvalidEventError(`invalid ${type} v${version} payload: ${data.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return { ...envelope.data, type, data: data.data } as AnyEventEnvelope;
}

export interface EventOrigin {
  source: string;
  requestId?: string | null | undefined;
  /** The event being handled when this one is raised. */
  cause?: Pick<EventEnvelope, 'id' | 'correlationId'> | undefined;
}

/** How long ago the event occurred, in seconds, as of `now` (ms since the epoch): its lag when it is consumed. */
export function secondsSinceOccurred(envelope: Pick<EventEnvelope, 'occurredAt'>, now: number): number {
  return (now - Date.parse(envelope.occurredAt)) / 1000;
}

/** A new event of the current payload version. */
export function createEnvelope<K extends RoutingKey>(
  type: K,
  data: EventPayload<K>,
  origin: EventOrigin,
  scope: { tenantId?: string | null; userId?: string | null } = {},
): EventEnvelope<K> {
  const id = randomUUID();
  const requestId = origin.requestId ?? null;
  const { traceparent } = activeTraceHeaders();
  return {
    id,
    type,
    version: currentVersion(type),
    occurredAt: new Date().toISOString(),
    source: origin.source,
    tenantId: scope.tenantId ?? null,
    userId: scope.userId ?? null,
    correlationId: origin.cause?.correlationId ?? requestId ?? id,
    causationId: origin.cause?.id ?? requestId,
    data,
    metadata: traceparent === undefined ? { requestId } : { requestId, traceparent },
  };
}
