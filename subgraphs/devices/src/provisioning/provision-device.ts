import type { DeviceRow } from '../database/schema.js';
import type { DevicesRepository } from '../devices/devices.repository.js';
import type { ProviderDriver } from '../drivers/provider-driver.js';
import { tearDownDevice } from './teardown-device.js';

export type ProvisionOutcome = 'running' | 'error' | 'moved-on';

/**
 * Has the driver bring one CREATING device up and records the result:
 * RUNNING with its ADB endpoint, or ERROR. The move is compare-and-set, so a
 * device that moved on meanwhile (deleted, provisioned by another replica)
 * is left as it is. Drivers provision idempotently per device id. A phone
 * that came up for a device deleted meanwhile is due for teardown again
 * (the deletion's teardown may have run before it was there): torn down
 * now, or by the health sweep if the provider refuses.
 */
export async function provisionDevice(devices: DevicesRepository, driver: ProviderDriver, device: DeviceRow, context: { requestId: string }): Promise<{ outcome: ProvisionOutcome; reason?: string }> {
  const result = await driver.provision(device);
  const moved = result.ok
    ? await devices.transition(device.id, 'RUNNING', context, { adbHost: result.adbHost, adbPort: result.adbPort, lastHeartbeatAt: new Date() })
    : await devices.transition(device.id, 'ERROR', context, { healthScore: 0 });
  if (moved.kind !== 'changed') {
    if (result.ok && moved.kind === 'illegal' && moved.from === 'DELETED') {
      await devices.reopenTeardown(device.id);
      await tearDownDevice(devices, driver, device.id);
    }
    return { outcome: 'moved-on' };
  }
  return result.ok ? { outcome: 'running' } : { outcome: 'error', reason: result.reason };
}
