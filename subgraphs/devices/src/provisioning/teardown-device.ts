import type { DevicesRepository } from '../devices/devices.repository.js';
import type { ProviderDriver } from '../drivers/provider-driver.js';

/**
 * How long a claim on a teardown holds: an attempt that has not finished by
 * then is taken for dead (its process stopped) and another may take over.
 * Also how long a deleted device waits before the health sweep retries a
 * teardown that never succeeded.
 */
export const TEARDOWN_LEASE_MS = 2 * 60_000;

/**
 * `torn-down`: this call had the provider release the phone.
 * `already-torn-down`, `not-deleted`: nothing to do.
 * `in-progress`: another attempt holds a fresh claim (it finishes, or its claim goes stale and a retry takes over).
 * `failed`: the provider refused; the claim is given back and the phone is still due.
 */
export type TeardownOutcome = 'torn-down' | 'already-torn-down' | 'not-deleted' | 'in-progress' | 'failed';

/**
 * The deletion saga's first step for one device: stops its phone and
 * releases it at the provider, once. The device's `torn_down_at` is the
 * step's state: null until the provider confirmed the release, then never
 * touched again, so a redelivered event or a sweep finds it done and does
 * not call the provider. Concurrent attempts are kept apart by a claim on
 * the row; an attempt that died after the provider released the phone but
 * before recording it leaves a claim that goes stale after `leaseMs`, and
 * the next attempt calls the provider again, which drivers answer
 * idempotently per device id: released once in effect, and never skipped.
 */
export async function tearDownDevice(
  devices: DevicesRepository,
  driver: ProviderDriver,
  deviceId: string,
  now = new Date(),
  leaseMs = TEARDOWN_LEASE_MS,
): Promise<{ outcome: TeardownOutcome; reason?: string }> {
  const claim = await devices.claimTeardown(deviceId, now, new Date(now.getTime() - leaseMs));
  switch (claim.kind) {
    case 'torn-down':
      return { outcome: 'already-torn-down' };
    case 'not-deleted':
      return { outcome: 'not-deleted' };
    case 'busy':
      return { outcome: 'in-progress' };
    case 'claimed':
      break;
  }
  const result = await driver.teardown(claim.device).catch((error: unknown) => ({ ok: false as const, reason: (error as Error).message }));
  if (!result.ok) {
    await devices.releaseTeardownClaim(deviceId, claim.claimedAt);
    return { outcome: 'failed', reason: result.reason };
  }
  // Not recorded when the claim was taken over meanwhile: the holder of the newer claim records its own release.
  await devices.recordTornDown(deviceId, claim.claimedAt, new Date());
  return { outcome: 'torn-down' };
}
