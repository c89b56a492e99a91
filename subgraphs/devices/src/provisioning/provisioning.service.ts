import type { EventEnvelope } from '@cloudphone/events';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DevicesRepository } from '../devices/devices.repository.js';
import { PROVIDER_DRIVER, type ProviderDriver } from '../drivers/provider-driver.js';

/**
 * Brings a new device up asynchronously: createDevice answers at once with a
 * CREATING device; on its device.created event the driver provisions the
 * phone and the device moves to RUNNING (with its ADB endpoint) or ERROR.
 * Runs after the inbox commit and is idempotent: a device no longer CREATING
 * (a redelivery, another replica) is left alone.
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
    const result = await this.driver.provision(device);
    const context = { requestId: envelope.metadata.requestId ?? envelope.correlationId };
    const outcome = result.ok
      ? await this.devices.transition(device.id, 'RUNNING', context, { adbHost: result.adbHost, adbPort: result.adbPort, lastHeartbeatAt: new Date() })
      : await this.devices.transition(device.id, 'ERROR', context, { healthScore: 0 });
    if (!result.ok) this.logger.warn(`provisioning ${device.id} failed: ${result.reason}`);
    if (outcome.kind === 'illegal') this.logger.log(`device ${device.id} moved on to ${outcome.from} while provisioning`);
  }
}
