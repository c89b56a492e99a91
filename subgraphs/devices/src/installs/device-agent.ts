import type { DeviceRow } from '../database/schema.js';

export type InstallResult = { ok: true } | { ok: false; reason: string };

/**
 * What runs on a cloud phone: the seam a real provider driver (Redroid, a
 * cloud phone API) implements. The simulated agent below stands in for one.
 */
export interface DeviceAgent {
  install(device: DeviceRow, packageName: string, versionCode: number): Promise<InstallResult>;
}

export const DEVICE_AGENT = Symbol('DEVICE_AGENT');

/** Installs succeed on a RUNNING phone with room for the app, as a real phone would answer. */
export class SimulatedDeviceAgent implements DeviceAgent {
  async install(device: DeviceRow): Promise<InstallResult> {
    if (device.status !== 'RUNNING') return { ok: false, reason: `device is ${device.status}, not RUNNING` };
    return { ok: true };
  }
}
