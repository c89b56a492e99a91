import type { EventEnvelope } from '@cloudphone/events';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DevicesRepository } from '../devices/devices.repository.js';
import { PROVIDER_DRIVER, type ProviderDriver } from '../drivers/provider-driver.js';
import { provisionDevice } from './provision-device.js';
import { tearDownDevice } from './teardown-device.js';

/**
 * The provider's side of a device's life, driven by the device's own events
 * after the inbox commit, on every delivery.
 *
 * Bringing a new device up: createDevice answers at once with a CREATING
 * device; on its device.created event the driver provisions the phone and
 * the device moves to RUNNING (with its ADB endpoint) or ERROR. Idempotent:
 * a device no longer CREATING (a redelivery, another replica) is left alone.
 * If this process dies mid-way, the health sweep resumes the device once it
 * has been CREATING for DEVICE_PROVISION_TIMEOUT_MS.
 *
 * Tearing a deleted device's phone down: the deletion saga's phone step (the
 * scheduler releases the allocation and billing stops metering on the same
 * deletion, each on its own queue). `tearDownDevice` makes a redelivery a
 * no-op. A refusal by the provider throws, so the transport retries the
 * event (and dead-letters it in the end); the device's `tornDownAt` stays
 * null, and the health sweep retries it from then on.
 */
@Injectable()
export class ProvisioningService {
  private readonly logger = new Logger('devices-provisioning');

  constructor(
    private readonly devices: DevicesRepository,
    @Inject(PROVIDER_DRIVER) private readonly driver: ProviderDriver,
  ) {}

  async provision(envelope: EventEnvelope<'device.created'>): Promise<void> {
    const [device] = await this.devices.findByIds([envelope.data.deviceId]);
    if (device?.status !== 'CREATING') return;
    const { outcome, reason } = await provisionDevice(this.devices, this.driver, device, { requestId: envelope.metadata.requestId ?? envelope.correlationId });
    if (outcome === 'error') this.logger.warn(`provisioning ${device.id} failed: ${reason ?? 'unknown reason'}`);
    if (outcome === 'moved-on') this.logger.log(`device ${device.id} moved on while provisioning`);
  }

  async tearDown(envelope: EventEnvelope<'device.deleted'>): Promise<void> {
    const { deviceId } = envelope.data;
    const { outcome, reason } = await tearDownDevice(this.devices, this.driver, deviceId);
    if (outcome === 'failed') {
      this.logger.warn(`tearing down the phone of deleted device ${deviceId} failed: ${reason ?? 'unknown reason'}; retried`);
      throw new Error(`the provider did not release the phone of device ${deviceId}: ${reason ?? 'unknown reason'}`);
    }
    // Another attempt holds the claim: it records the release, or its claim goes stale and the health sweep takes over.
    if (outcome === 'in-progress') this.logger.log(`the phone of deleted device ${deviceId} is being torn down by another attempt`);
  }
}
