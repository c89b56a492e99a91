import type { DeviceRow } from '../database/schema.js';

export type ProvisionResult = { ok: true; adbHost: string; adbPort: number } | { ok: false; reason: string };
export type InstallResult = { ok: true } | { ok: false; reason: string };
export type TeardownResult = { ok: true } | { ok: false; reason: string };
export interface HealthReport {
  healthy: boolean;
  /** 0 (failing) to 100 (healthy). */
  score: number;
}

/**
 * What a cloud-phone provider does for us: bring a phone up, install an app
 * on it, stop it and give it back. A Redroid host or a cloud phone API
 * implements this; the simulated driver stands in for one here.
 */
export interface ProviderDriver {
  provision(device: DeviceRow): Promise<ProvisionResult>;
  install(device: DeviceRow, packageName: string, versionCode: number): Promise<InstallResult>;
  /** Probes a running (or failed) phone. */
  health(device: DeviceRow): Promise<HealthReport>;
  /**
   * Stops the device's phone and releases it at the provider. Idempotent per
   * device id: a phone already released (or never brought up) answers ok
   * and nothing happens again.
   */
  teardown(device: DeviceRow): Promise<TeardownResult>;
}

export const PROVIDER_DRIVER = Symbol('PROVIDER_DRIVER');

/**
 * The platform's default provider: what a device runs on when nobody chose
 * one (a device a purchase creates). Redroid hosts, which the simulated
 * driver stands in for.
 */
export const DEFAULT_PROVIDER: DeviceRow['provider'] = 'REDROID';

export interface SimulatedDriverOptions {
  /** How long a phone takes to come up. */
  provisionDelayMs: number;
  /** Share of provisionings that fail (0 to 1). */
  failureRate: number;
  /** Share of health probes that find a phone sick (0 to 1). */
  healthFailureRate?: number;
  /** Share of teardowns the provider refuses (0 to 1); a refused one released nothing. */
  teardownFailureRate?: number;
  /** Source of randomness for failures (tests pass a fixed one). */
  random?: () => number;
}

/** A provider without hardware: phones come up after a delay, some fail, installs need a RUNNING phone. */
export class SimulatedProviderDriver implements ProviderDriver {
  private nextPort = 5555;
  /** Device ids whose phone is released now (provisioning again brings it back). */
  private readonly released = new Set<string>();
  /** How many times the provider really released each device's phone: a teardown of a released phone does not count. */
  readonly releases = new Map<string, number>();

  constructor(private readonly options: SimulatedDriverOptions) {}

  async provision(device: DeviceRow): Promise<ProvisionResult> {
    await new Promise((resolve) => setTimeout(resolve, this.options.provisionDelayMs));
    if ((this.options.random ?? Math.random)() < this.options.failureRate) return { ok: false, reason: 'the provider could not start the phone' };
    this.released.delete(device.id);
    this.nextPort += 1;
    return { ok: true, adbHost: `${device.provider.toLowerCase()}-${device.id.slice(0, 8)}.sim.internal`, adbPort: this.nextPort };
  }

  /**
   * A phone stays as healthy as it was (score 50 or more) unless a probe finds
   * it sick at `healthFailureRate`; a failed phone does not heal by itself: it
   * recovers when restarted.
   */
  async health(device: DeviceRow): Promise<HealthReport> {
    const random = this.options.random ?? Math.random;
    if (random() < (this.options.healthFailureRate ?? 0)) return { healthy: false, score: Math.floor(random() * 30) };
    return device.healthScore >= 50 ? { healthy: true, score: Math.max(device.healthScore, 90) } : { healthy: false, score: device.healthScore };
  }

  async install(device: DeviceRow, _packageName: string, _versionCode: number): Promise<InstallResult> {
    if (device.status !== 'RUNNING') return { ok: false, reason: `device is ${device.status}, not RUNNING` };
    return { ok: true };
  }

  async teardown(device: DeviceRow): Promise<TeardownResult> {
    if ((this.options.random ?? Math.random)() < (this.options.teardownFailureRate ?? 0)) return { ok: false, reason: 'the provider could not release the phone' };
    if (!this.released.has(device.id)) {
      this.released.add(device.id);
      this.releases.set(device.id, (this.releases.get(device.id) ?? 0) + 1);
    }
    return { ok: true };
  }
}
