import type { Database } from '@cloudphone/db';
import type { EventEnvelope } from '@cloudphone/events';
import { Inject, Injectable } from '@nestjs/common';
import { DevicesRepository } from '../devices/devices.repository.js';
import { PROVIDER_DRIVER, type ProviderDriver } from '../drivers/provider-driver.js';

/**
 * Carries out `app.install.requested` on the device and answers with
 * app.install.completed or app.install.failed, written to the outbox in the
 * same transaction as the inbox entry: one answer per request, whatever the
 * redeliveries.
 */
@Injectable()
export class InstallRequestsService {
  constructor(
    private readonly devices: DevicesRepository,
    @Inject(PROVIDER_DRIVER) private readonly driver: ProviderDriver,
  ) {}

  async handle(envelope: EventEnvelope<'app.install.requested'>, tx: Database): Promise<void> {
    const request = envelope.data;
    const device = await this.devices.findForUpdate(tx, request.deviceId);
    const result = device ? await this.driver.install(device, request.packageName, request.versionCode) : { ok: false as const, reason: 'device not found' };
    const { installId, deviceId, applicationId, userId } = request;
    const cause = { id: envelope.id, correlationId: envelope.correlationId };
    await this.devices.recordInstallResult(tx, result.ok ? { type: 'app.install.completed', data: { installId, deviceId, applicationId, userId } } : { type: 'app.install.failed', data: { installId, deviceId, applicationId, userId, reason: result.reason } }, cause, device?.tenantId ?? envelope.tenantId);
  }
}
