import type { EventEnvelope } from '@cloudphone/events';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DevicesRepository } from '../devices/devices.repository.js';
import { PROVIDER_DRIVER, type ProviderDriver } from '../drivers/provider-driver.js';
import { provisionDevice } from './provision-device.js';

/**
 * Brings a new device up asynchronously: createDevice answers at once with a
 * CREATING device; on its device.created event the driver provisions the
 * phone and the device moves to RUNNING (with its ADB endpoint) or ERROR.
 * Runs after the inbox commit and is idempotent: a device no longer CREATING
 * (a redelivery, another replica) is left alone. If this process dies
 * mid-way, the health sweep resumes the device once it has been CREATING for
 * DEVICE_PROVISION_TIMEOUT_MS.
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
}
