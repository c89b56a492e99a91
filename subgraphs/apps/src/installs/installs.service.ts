import { AppError } from '@cloudphone/errors';
import { type RowOwner, assertAccess, assertAnyAccess, readableOrError, rowScope } from '@cloudphone/identity';
import { type RequestContext, SubgraphClient, byKeys, groupByKeys, parseId } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { ApplicationsService } from '../applications/applications.service.js';
import { ApplicationStatus } from '../applications/models/application.model.js';
import type { DeviceApplicationRow } from '../database/schema.js';
import { DEVICES_CLIENT, REMOTE_DEVICE_SELECTION, type RemoteDevice } from '../devices/devices-client.module.js';
import { REINSTALLABLE_STATUSES, assertInstallTransition } from './install-transitions.js';
import { InstallsRepository } from './installs.repository.js';
import { type DeviceApplication, InstallStatus } from './models/device-application.model.js';
import type { InstallApplicationInput, UninstallApplicationInput } from './models/install.inputs.js';

export function toDeviceApplication(row: DeviceApplicationRow): DeviceApplication {
  return {
    id: row.id,
    deviceId: row.deviceId,
    applicationId: row.applicationId,
    status: row.status as InstallStatus,
    error: row.error,
    requestedAt: row.requestedAt,
    installedAt: row.installedAt,
  };
}

/** Who an install belongs to, for data scopes: the device owner and their tenant (null on old rows). */
function ownerOf(row: DeviceApplicationRow): RowOwner {
  return { userId: row.userId, tenantId: row.tenantId };
}

/** What a device reports when an install step ends (only FAILED keeps an error). */
export interface InstallOutcome {
  error?: string | null;
}

export const DEVICE_MUST_RUN = 'device must be RUNNING to install';
const DEFAULT_FAILURE = 'The install failed';

@Injectable()
export class InstallsService {
  constructor(
    private readonly repository: InstallsRepository,
    private readonly applicationService: ApplicationsService,
    @Inject(DEVICES_CLIENT) private readonly devices: SubgraphClient,
  ) {}

  /**
   * Batched by request: resolving N installs in one tick is one query. An
   * install out of the principal's read scope is a FORBIDDEN error for its key
   * only, so in `_entities` just that entity is null.
   */
  byId(context: RequestContext, id: string): Promise<DeviceApplication | null> {
    return context.loaders
      .get<string, DeviceApplication | null>('DeviceApplication.byId', async (ids) => {
        const rows = byKeys(ids, await this.repository.findByIds(ids), (row) => row.id);
        return rows.map((row) => (row === null ? null : readableOrError(context.principal, 'install', toDeviceApplication(row), ownerOf(row))));
      })
      .load(id);
  }

  /**
   * A device's installs that are not UNINSTALLED, oldest request first; one query for all devices of a request.
   * Only the installs within the principal's scope: another user's device shows none of its installs.
   */
  currentForDevice(context: RequestContext, deviceId: string): Promise<DeviceApplication[]> {
    const scope = rowScope(context.principal, 'install');
    return context.loaders
      .get<string, DeviceApplication[]>('Device.applications', async (deviceIds) =>
        groupByKeys(deviceIds, (await this.repository.findCurrentForDevices(deviceIds, scope)).map(toDeviceApplication), (install) => install.deviceId),
      )
      .load(deviceId);
  }

  /** How many applications are INSTALLED on a device (counting installs within scope only); one query for all devices of a request. */
  installedCount(context: RequestContext, deviceId: string): Promise<number> {
    const scope = rowScope(context.principal, 'install');
    return context.loaders
      .get<string, number>('Device.installedApplicationCount', async (deviceIds) => {
        const counts = new Map((await this.repository.countInstalledForDevices(deviceIds, scope)).map((row) => [row.deviceId, Number(row.value)]));
        return deviceIds.map((id) => counts.get(id) ?? 0);
      })
      .load(deviceId);
  }

  /**
   * Requests an install (PENDING). Checked in order, writing nothing on a
   * failure: the ids, `install:write`, the application (exists, AVAILABLE),
   * the device (exists, its owner within the write scope, RUNNING), then no
   * install of it already on the device.
   */
  async install(context: RequestContext, input: InstallApplicationInput): Promise<DeviceApplication> {
    const deviceId = parseId(input.deviceId, 'deviceId');
    const applicationId = parseId(input.applicationId, 'applicationId');
    assertAnyAccess(context.principal, 'install', 'write');

    // The catalogue entry of what is installed, read for the install whatever the caller's application:read.
    const application = await this.applicationService.find(context, applicationId);
    if (!application) throw new AppError('APPLICATION_NOT_FOUND', 'Application not found', { details: { field: 'applicationId' } });
    if (application.status !== ApplicationStatus.AVAILABLE) {
      throw new AppError('BAD_USER_INPUT', `Only an AVAILABLE application can be installed (it is ${application.status})`, {
        details: { field: 'applicationId', status: application.status },
      });
    }

    const [device] = await this.devices.fetchEntities<RemoteDevice>('Device', [deviceId], REMOTE_DEVICE_SELECTION, context.requestId);
    if (!device) throw new AppError('DEVICE_NOT_FOUND', 'Device not found', { details: { field: 'deviceId' } });
    // The devices subgraph answers this service call for any device: the install scope decides whose device it may be.
    assertAccess(context.principal, 'install', { userId: device.userId, tenantId: device.tenantId }, 'write');
    if (device.status !== 'RUNNING') {
      throw new AppError('BAD_USER_INPUT', DEVICE_MUST_RUN, { details: { field: 'deviceId', status: device.status } });
    }

    const row = await this.repository.requestInstall(
      { deviceId, applicationId, userId: device.userId, tenantId: device.tenantId },
      REINSTALLABLE_STATUSES,
      { packageName: application.packageName, versionCode: application.versionCode },
      context,
    );
    if (!row) {
      throw new AppError('CONFLICT', 'That application is already installed, or being installed, on this device', { details: { field: 'applicationId' } });
    }
    return toDeviceApplication(row);
  }

  /** Starts removing an INSTALLED application from a device (UNINSTALLING); the install must be within the write scope. */
  async uninstall(context: RequestContext, input: UninstallApplicationInput): Promise<DeviceApplication> {
    const deviceId = parseId(input.deviceId, 'deviceId');
    const applicationId = parseId(input.applicationId, 'applicationId');
    assertAnyAccess(context.principal, 'install', 'write');
    const current = await this.repository.findByDeviceAndApplication(deviceId, applicationId);
    // Checked before its status is told: someone else's install is FORBIDDEN whatever state it is in.
    if (current) assertAccess(context.principal, 'install', ownerOf(current), 'write');
    if (!current || current.status === InstallStatus.UNINSTALLED) {
      throw new AppError('NOT_FOUND', 'That application is not installed on this device', { details: { field: 'applicationId' } });
    }
    return this.move(current, InstallStatus.UNINSTALLING, {});
  }

  /**
   * Moves an install to `to` along INSTALL_TRANSITIONS; INSTALLED stamps installedAt, FAILED keeps the error.
   * Internal (device answers, tests): no GraphQL field calls it, so it is not scoped.
   */
  async transition(id: string, to: InstallStatus, outcome: InstallOutcome = {}): Promise<DeviceApplication> {
    const [current] = await this.repository.findByIds([parseId(id)]);
    if (!current) throw new AppError('NOT_FOUND', 'Install not found', { details: { id } });
    return this.move(current, to, outcome);
  }

  private async move(current: DeviceApplicationRow, to: InstallStatus, outcome: InstallOutcome): Promise<DeviceApplication> {
    const from = current.status as InstallStatus;
    assertInstallTransition(from, to);
    const updated = await this.repository.updateStatus(current.id, from, {
      status: to,
      error: to === InstallStatus.FAILED ? outcome.error?.trim() || DEFAULT_FAILURE : null,
      ...(to === InstallStatus.INSTALLED ? { installedAt: new Date() } : {}),
    });
    if (!updated) throw new AppError('CONFLICT', 'The install changed meanwhile; read it again and retry', { details: { id: current.id } });
    return toDeviceApplication(updated);
  }
}
