import { AppError } from '@cloudphone/errors';
import type { DeviceRow } from '../database/schema.js';

/** The limits of a quota, named as QUOTA_EXCEEDED and quota.exceeded name them. */
export type QuotaLimit = 'maxDevices' | 'maxRunningDevices' | 'maxCpuCores' | 'maxMemoryMb' | 'maxStorageGb';

/** A user's quota, as the users subgraph answers `quotaOf`. */
export type Quota = Record<QuotaLimit, number> & { status: string };

/** What a user's devices hold: every device but DELETED ones; running slots are taken by the states below. */
export interface QuotaUsage {
  devices: number;
  runningDevices: number;
  cpuCores: number;
  memoryMb: number;
  storageGb: number;
}

export const NO_USAGE: QuotaUsage = Object.freeze({ devices: 0, runningDevices: 0, cpuCores: 0, memoryMb: 0, storageGb: 0 });

/**
 * The states that take a running slot: RUNNING, CREATING (it starts on its
 * own once provisioned) and ERROR (health sweeps recover it to RUNNING by
 * themselves). Only STOPPED -> RUNNING (startDevice) and createDevice add one.
 */
export const RUNNING_SLOT_STATES = ['CREATING', 'RUNNING', 'ERROR'] as const satisfies readonly DeviceRow['status'][];

/** Which usage each limit bounds, in the order they are checked (the first one exceeded is named). */
const BOUNDS: readonly [QuotaLimit, keyof QuotaUsage, string][] = [
  ['maxDevices', 'devices', 'devices'],
  ['maxRunningDevices', 'runningDevices', 'running devices'],
  ['maxCpuCores', 'cpuCores', 'cpu cores'],
  ['maxMemoryMb', 'memoryMb', 'MiB of memory'],
  ['maxStorageGb', 'storageGb', 'GiB of storage'],
];

/** A refused request: the limit it would go over, the limit's value, and the usage it would have made. */
export interface QuotaBreach {
  limit: QuotaLimit;
  max: number;
  requested: number;
}

/** Decides, on usage read under the owner's lock, whether a request fits; the breach when it does not. */
export type QuotaCheck = (usage: QuotaUsage) => QuotaBreach | null;

/** The first limit that `added` on top of `usage` would go over; null when it fits. */
export function quotaBreach(quota: Quota, usage: QuotaUsage, added: Partial<QuotaUsage>): QuotaBreach | null {
  for (const [limit, resource] of BOUNDS) {
    const adding = added[resource] ?? 0;
    if (adding <= 0) continue;
    const requested = usage[resource] + adding;
    if (requested > quota[limit]) return { limit, max: quota[limit], requested };
  }
  return null;
}

/** What a new device adds: itself, a running slot (it starts on its own) and its resources. */
export function newDeviceUsage(spec: { cpuCores: number; memoryMb: number; storageGb: number }): QuotaUsage {
  return { devices: 1, runningDevices: 1, ...spec };
}

/** What starting a STOPPED device adds. */
export const START_USAGE: Partial<QuotaUsage> = Object.freeze({ runningDevices: 1 });

export function quotaExceeded(breach: QuotaBreach): AppError {
  const what = BOUNDS.find(([limit]) => limit === breach.limit)?.[2] ?? breach.limit;
  return new AppError('QUOTA_EXCEEDED', `The quota allows ${breach.max} ${what}; this would make ${breach.requested}`, {
    details: { limit: breach.limit, max: breach.max, requested: breach.requested },
  });
}

/** A SUSPENDED quota refuses every create and start. */
export function quotaSuspended(): AppError {
  return new AppError('QUOTA_EXCEEDED', 'The quota of this user is suspended: no device may be created or started', { details: { limit: 'status', status: 'SUSPENDED' } });
}
