import type { EventEnvelope } from '@cloudphone/events';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DevicesRepository } from '../devices/devices.repository.js';
import { PROVIDER_DRIVER, type ProviderDriver } from '../drivers/provider-driver.js';
import { tearDownDevice } from './teardown-device.js';

/**
 * The deletion saga's phone step: on its own device.deleted event, the
 * devices subgraph has the provider stop and release the deleted device's
 * phone (the scheduler releases the allocation and billing stops metering on
 * the same deletion, each on its own queue). Runs after the inbox commit, on
 * every delivery; `tearDownDevice` makes a redelivery a no-op. A refusal by
 * the provider throws, so the transport retries the event (and dead-letters
 * it in the end); the device's `tornDownAt` stays null, and the health sweep
 * retries it from then on.
 */
@Injectable()
export class TeardownService {
  private readonly logger = new Logger('devices-teardown');

  constructor(
    private readonly devices: DevicesRepository,
    @Inject(PROVIDER_DRIVER) private readonly driver: ProviderDriver,
  ) {}

  async onDeleted(envelope: EventEnvelope<'device.deleted'>): Promise<void> {
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
