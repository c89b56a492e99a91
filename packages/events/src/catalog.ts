import { z } from 'zod';

const id = z.uuid();
const version = z.number().int().positive();
const userStatus = z.enum(['ACTIVE', 'INACTIVE', 'SUSPENDED', 'DELETED']);
const deviceStatus = z.enum(['CREATING', 'RUNNING', 'STOPPED', 'ERROR', 'DELETED']);
const orderStatus = z.enum(['PENDING', 'PAID', 'CANCELLED', 'REFUNDED', 'FAILED']);
const money = { amountMinor: z.number().int().nonnegative(), currency: z.string().regex(/^[A-Z]{3}$/) };

/** A full snapshot of a user, sent with every user change: consumers keep the newest version. */
const userSnapshotV1 = z.object({ userId: id, tenantId: id, username: z.string(), email: z.string(), displayName: z.string(), status: userStatus, version });
const deviceSnapshotV1 = z.object({ deviceId: id, userId: id, tenantId: id, name: z.string(), status: deviceStatus, version });
const orderV1 = z.object({ orderId: id, userId: id, deviceId: id.nullable(), planId: id, status: orderStatus, ...money });
const nodeSnapshotV1 = z.object({
  nodeId: id,
  name: z.string(),
  status: z.enum(['ONLINE', 'OFFLINE', 'MAINTENANCE', 'DRAINING']),
  region: z.string(),
  zone: z.string(),
  labels: z.record(z.string(), z.string()),
  capacity: z.object({ cpuCores: z.number().int().positive(), memoryMb: z.number().int().positive(), storageGb: z.number().int().positive(), deviceSlots: z.number().int().positive() }),
  version,
});
const installV1 = z.object({ installId: id, deviceId: id, applicationId: id, userId: id });

/**
 * Every event of the platform: routing key -> payload schema per version.
 * A payload is never changed in place: a new shape is a new version beside
 * the old, and producers move to it once every consumer reads it.
 */
export const EVENT_CATALOG = {
  'user.created': { current: 1, versions: { 1: userSnapshotV1 } },
  'user.updated': { current: 1, versions: { 1: userSnapshotV1 } },
  'user.deleted': { current: 1, versions: { 1: userSnapshotV1 } },
  'user.suspended': { current: 1, versions: { 1: userSnapshotV1 } },
  'device.created': { current: 1, versions: { 1: deviceSnapshotV1 } },
  'device.updated': { current: 1, versions: { 1: deviceSnapshotV1 } },
  'device.status.changed': {
    current: 1,
    versions: { 1: deviceSnapshotV1.extend({ previousStatus: deviceStatus, changedAt: z.iso.datetime() }) },
  },
  'device.deleted': { current: 1, versions: { 1: deviceSnapshotV1 } },
  /** A host registered or changed (status, labels): the scheduler keeps its copy for placement. */
  'node.updated': { current: 1, versions: { 1: nodeSnapshotV1 } },
  'app.install.requested': { current: 1, versions: { 1: installV1.extend({ packageName: z.string(), versionCode: z.number().int() }) } },
  'app.install.completed': { current: 1, versions: { 1: installV1 } },
  'app.install.failed': { current: 1, versions: { 1: installV1.extend({ reason: z.string() }) } },
  'order.created': { current: 1, versions: { 1: orderV1 } },
  'order.paid': { current: 1, versions: { 1: orderV1 } },
  'order.cancelled': { current: 1, versions: { 1: orderV1 } },
  'order.refunded': { current: 1, versions: { 1: orderV1 } },
  'payment.succeeded': { current: 1, versions: { 1: z.object({ paymentId: id, orderId: id, userId: id, method: z.string(), ...money }) } },
  'payment.failed': { current: 1, versions: { 1: z.object({ paymentId: id, orderId: id, userId: id, method: z.string(), reason: z.string(), ...money }) } },
  'balance.low': { current: 1, versions: { 1: z.object({ userId: id, balanceMinor: z.number().int(), thresholdMinor: z.number().int(), currency: z.string() }) } },
  'quota.exceeded': { current: 1, versions: { 1: z.object({ userId: id, limit: z.string(), max: z.number(), requested: z.number() }) } },
} as const;

type Catalog = typeof EVENT_CATALOG;
export type RoutingKey = keyof Catalog;
type CurrentVersion<K extends RoutingKey> = Catalog[K]['current'];
type VersionSchemas<K extends RoutingKey> = Catalog[K]['versions'];

/** The payload a producer sends today for a routing key. */
export type EventPayload<K extends RoutingKey> = z.infer<VersionSchemas<K>[CurrentVersion<K> & keyof VersionSchemas<K>]>;

export const ROUTING_KEYS = Object.keys(EVENT_CATALOG) as RoutingKey[];

export function isRoutingKey(value: unknown): value is RoutingKey {
  return typeof value === 'string' && Object.hasOwn(EVENT_CATALOG, value);
}

/** The schema of one version of a payload; undefined for an unknown version. */
export function payloadSchema(key: RoutingKey, payloadVersion: number): z.ZodType | undefined {
  const versions: Record<number, z.ZodType> = EVENT_CATALOG[key].versions;
  return versions[payloadVersion];
}

export function currentVersion(key: RoutingKey): number {
  return EVENT_CATALOG[key].current;
}

/** Topic pattern matching as RabbitMQ does it: `*` one word, `#` zero or more. */
export function matchesPattern(pattern: string, key: string): boolean {
  const match = (patternWords: string[], keyWords: string[]): boolean => {
    const [head, ...rest] = patternWords;
    if (head === undefined) return keyWords.length === 0;
    if (head === '#') return match(rest, keyWords) || (keyWords.length > 0 && match(patternWords, keyWords.slice(1)));
    if (keyWords.length === 0) return false;
    return (head === '*' || head === keyWords[0]) && match(rest, keyWords.slice(1));
  };
  return match(pattern.split('.'), key.split('.'));
}
