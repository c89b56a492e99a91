import { randomUUID } from 'node:crypto';
import { cursorOf } from '@cloudphone/db';
import { AppError, badUserInput } from '@cloudphone/errors';
import { type Principal, type RowOwner, type RowScope, assertAccess, assertAnyAccess, assertService, fieldRuleFor, forbidden, readableOrError, scopeCovers } from '@cloudphone/identity';
import type { DeviceOperationResult } from './models/device-operation-result.model.js';
import { type ConnectionArgs, type ConnectionShape, type RequestContext, SortDirection, byKeys, parseOptionalId, parseId, toConnection, toPageRequest } from '@cloudphone/subgraph-kit';
import { SystemConfigReader } from '@cloudphone/system-config';
import { Injectable, Logger } from '@nestjs/common';
import type { DeviceRow } from '../database/schema.js';
import { PlacementClient } from '../placement/placement.client.js';
import { QuotaGuard, type QuotaOwner } from '../quotas/quota-guard.js';
import { NO_USAGE, type QuotaCheck, type QuotaUsage, START_USAGE, newDeviceUsage, quotaExceeded } from '../quotas/quota-rules.js';
import { TemplatesService } from '../templates/templates.service.js';
import { UsersClient } from '../users/users.client.js';
import { DEFAULT_PROVIDER } from '../drivers/provider-driver.js';
import type { CreateDeviceInput, OrderedDeviceInput, UpdateDeviceInput } from './models/device.inputs.js';
import type { PlacementInput } from './models/placement.input.js';
import { type Device, type DeviceFilter, type DeviceOrder, DeviceOrderField, type DeviceProvider, DeviceStatus } from './models/device.model.js';
import { DevicesRepository, USER_DEVICES_SORT, deviceSort, deviceSortValue } from './devices.repository.js';

/** Most devices one batch mutation acts on. */
export const MAX_BATCH = 100;

export function toDevice(row: DeviceRow): Device {
  return {
    id: row.id,
    userId: row.userId,
    tenantId: row.tenantId,
    name: row.name,
    status: row.status as DeviceStatus,
    provider: row.provider as DeviceProvider,
    spec: { cpuCores: row.cpuCores, memoryMb: row.memoryMb, storageGb: row.storageGb },
    androidVersion: row.androidVersion,
    adbEndpoint: row.adbHost !== null && row.adbPort !== null ? `${row.adbHost}:${row.adbPort}` : null,
    healthScore: row.healthScore,
    lastHeartbeatAt: row.lastHeartbeatAt,
    expiresAt: row.expiresAt,
    statusChangedAt: row.statusChangedAt,
    tornDownAt: row.tornDownAt,
    version: row.version,
    ownerCopy: { name: row.ownerName, email: row.ownerEmail, version: row.ownerVersion, userId: row.userId },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    nodeId: row.nodeId,
  };
}

/** Whose a device is, as data scopes see it: the owner never changes, so a check made on a read row holds for the write that follows. */
export function deviceOwner(device: { userId: string; tenantId: string }): RowOwner {
  return { userId: device.userId, tenantId: device.tenantId };
}

/**
 * Whether lists may match and sort on the owners' e-mail copies: not for a
 * role that masks or hides other people's e-mails, since a prefix filter
 * would probe them and an OWNER_EMAIL cursor carries them in clear. A SELF
 * scope only ever lists one's own devices, whose e-mail is one's own.
 */
export function ownerEmailSearchable(principal: Principal, scope: RowScope): boolean {
  return scope.kind === 'SELF' || fieldRuleFor(principal, 'user', 'email') === undefined;
}

/** The only caller of the ordered-device mutations: billing's purchase saga. */
const ORDERING_SERVICE = 'billing';

/** A device about to be created: its id and what it is made of, settled. */
interface DeviceDraft {
  id: string;
  userId: string;
  name: string;
  provider: DeviceRow['provider'];
  spec: { cpuCores: number; memoryMb: number; storageGb: number };
  androidVersion: string;
  templateId: string | null;
  placement: PlacementInput | null | undefined;
}

@Injectable()
export class DevicesService {
  private readonly logger = new Logger('devices');

  constructor(
    private readonly repository: DevicesRepository,
    private readonly templates: TemplatesService,
    private readonly users: UsersClient,
    private readonly placement: PlacementClient,
    private readonly quotas: QuotaGuard,
    private readonly config: SystemConfigReader,
  ) {}

  /**
   * A device by id, batched per request (`device(id)` and `_entities`): a
   * device out of the caller's read scope rejects its key with FORBIDDEN, so
   * only that entity resolves to null; a missing one is plain null.
   */
  byId(context: RequestContext, id: string): Promise<Device | null> {
    const { principal } = context;
    return context.loaders
      .get<string, Device | null>('Device.byId', async (ids) =>
        byKeys(ids, (await this.repository.findByIds(ids)).map(toDevice), (device) => device.id).map((device) =>
          device === null ? null : readableOrError(principal, 'device', device, deviceOwner(device)),
        ),
      )
      .load(id);
  }

  async list(context: RequestContext, args: ConnectionArgs, filter: DeviceFilter | null | undefined, order: DeviceOrder | null | undefined): Promise<ConnectionShape<Device>> {
    const scope = assertAnyAccess(context.principal, 'device');
    const emailSearchable = ownerEmailSearchable(context.principal, scope);
    const request = toPageRequest(args);
    const field = order?.field ?? DeviceOrderField.CREATED_AT;
    if (field === DeviceOrderField.OWNER_EMAIL && !emailSearchable) throw new AppError('FORBIDDEN', "Sorting by the owner's e-mail is not allowed for your role: e-mails are masked for it");
    const sort = deviceSort(field, order?.direction ?? SortDirection.ASC);
    const page = await this.repository.findPage(
      {
        scope,
        ownerMatchesEmail: emailSearchable,
        userId: parseOptionalId(filter?.userId, 'filter.userId'),
        tenantId: parseOptionalId(filter?.tenantId, 'filter.tenantId'),
        nodeId: parseOptionalId(filter?.nodeId, 'filter.nodeId'),
        status: filter?.status ?? undefined,
        provider: filter?.provider ?? undefined,
        owner: filter?.owner?.trim() || undefined,
      },
      sort,
      request,
    );
    return toConnection(page, request, (row) => cursorOf(sort, deviceSortValue(field, row), row.id), toDevice);
  }

  /**
   * `User.devices` for every user of a request in one statement: users asking
   * for the same page (same arguments) share a loader. The caller's read
   * scope is in the SQL, so another user's devices are neither listed nor
   * counted (a USER asking for someone else's gets an empty connection).
   */
  async ofOwner(context: RequestContext, userId: string, args: ConnectionArgs, status: DeviceStatus | null | undefined): Promise<ConnectionShape<Device>> {
    const scope = assertAnyAccess(context.principal, 'device');
    const request = toPageRequest(args);
    const loaderName = `User.devices:${request.limit}:${args.after ?? ''}:${status ?? ''}`;
    return context.loaders
      .get<string, ConnectionShape<Device>>(loaderName, async (userIds) => {
        const pages = await this.repository.pagesByOwner(scope, userIds, request, status ?? undefined);
        return userIds.map((id) => {
          const page = pages.get(id) ?? { rows: [], hasNextPage: false, totalCount: 0 };
          return toConnection(page, request, (row) => cursorOf(USER_DEVICES_SORT, row.createdAt, row.id), toDevice);
        });
      })
      .load(userId);
  }

  /**
   * `User.quotaUsage` for every user of a request in one statement, scoped
   * like `User.devices`: devices out of the caller's read scope are not counted.
   */
  usageOf(context: RequestContext, userId: string): Promise<QuotaUsage> {
    const scope = assertAnyAccess(context.principal, 'device');
    return context.loaders
      .get<string, QuotaUsage>('User.quotaUsage', async (userIds) => {
        const usage = await this.repository.usageByOwners(scope, userIds);
        return userIds.map((id) => usage.get(id) ?? NO_USAGE);
      })
      .load(userId);
  }

  /**
   * Creates a device for an owner within the caller's write scope (a USER
   * only for itself, an ADMIN for users of its tenant) and its quota:
   * refused with QUOTA_EXCEEDED naming the limit, checked before capacity is
   * reserved and again atomically with the insert.
   */
  async create(context: RequestContext, input: CreateDeviceInput): Promise<Device> {
    const userId = input.userId.toLowerCase();
    const scope = assertAnyAccess(context.principal, 'device', 'write');
    // A SELF scope is decided by the id alone: refuse before asking anyone about another user.
    if (scope.kind === 'SELF' && scope.userId !== userId) throw forbidden('device');
    const templateId = parseOptionalId(input.templateId, 'templateId');
    const template = templateId === undefined ? undefined : await this.templates.byId(context, templateId);
    if (templateId !== undefined && !template) throw new AppError('NOT_FOUND', 'Device template not found', { details: { field: 'templateId' } });
    const provider = template?.provider ?? input.provider;
    const spec = template?.spec ?? input.spec;
    const androidVersion = template?.androidVersion ?? input.androidVersion ?? (provider && spec ? await this.defaultAndroidVersion() : undefined);
    if (!provider || !spec || !androidVersion) {
      throw badUserInput('Give a templateId, or provider and spec (androidVersion defaults to the devices.defaultAndroidVersion setting)', 'templateId');
    }
    // The id is ours so a retried reservation finds its first.
    const device = await this.createPlaced(context, scope, { id: randomUUID(), userId, name: input.name, provider, spec, androidVersion, templateId: templateId ?? null, placement: input.placement });
    return toDevice(device);
  }

  /**
   * Service-only (billing's purchase saga): the device a purchase paid for,
   * created as `create` does under the id billing chose, so a retried step
   * finds its first effect: a device with that id already there is returned
   * as it is (BAD_USER_INPUT if it is another user's), also when a
   * concurrent call with the same id wrote it first. Runs on the platform's
   * default provider and Android version, placed by the scheduler's default.
   */
  async createOrdered(context: RequestContext, input: OrderedDeviceInput): Promise<Device> {
    assertService(context.principal, ORDERING_SERVICE);
    const id = parseId(input.id, 'id');
    const userId = parseId(input.userId, 'userId');
    const [existing] = await this.repository.findByIds([id]);
    const device = existing ?? (await this.createOrderedOnce(context, input, id, userId));
    if (device.userId !== userId) throw new AppError('BAD_USER_INPUT', 'A device with this id exists already for another user', { details: { field: 'id' } });
    this.logger.log(`ordered device ${id} for order ${input.orderId} (user ${userId}): ${device.status}${existing ? ', there already' : ''}`);
    return toDevice(device);
  }

  /** The create itself; a failure after a concurrent call with the same id wrote the device (e.g. the quota precheck counting it) answers with that device. */
  private async createOrderedOnce(context: RequestContext, input: OrderedDeviceInput, id: string, userId: string): Promise<DeviceRow> {
    try {
      // A service reaches every owner: the scope is ALL.
      return await this.createPlaced(context, { kind: 'ALL' }, {
        id,
        userId,
        name: input.name,
        provider: DEFAULT_PROVIDER,
        spec: { cpuCores: input.cpuCores, memoryMb: input.memoryMb, storageGb: input.storageGb },
        androidVersion: await this.requiredDefaultAndroidVersion(),
        templateId: null,
        placement: null,
      });
    } catch (error) {
      const [written] = await this.repository.findByIds([id]);
      if (!written) throw error;
      return written;
    }
  }

  /**
   * Service-only (billing's compensation of `createOrdered`): a device that
   * is there moves to DELETED as deleteDevice does (device.deleted: the
   * scheduler releases its allocation, billing stops metering) and is
   * returned, unchanged when DELETED already; a device never written is
   * null, after any capacity reserved for its id is given back.
   */
  async deleteOrdered(context: RequestContext, id: string): Promise<Device | null> {
    assertService(context.principal, ORDERING_SERVICE);
    const [row] = await this.repository.findByIds([id]);
    if (!row) {
      // Placed but never written (the create stopped between reserve and insert): the scheduler may hold capacity for it.
      await this.placement.release(id, context.requestId);
      return null;
    }
    if (row.status === 'DELETED') return toDevice(row);
    const outcome = await this.repository.transition(id, 'DELETED', context);
    if (outcome.kind === 'changed') return toDevice(outcome.device);
    // Deleted by a concurrent call meanwhile (DELETED is the only state that cannot become DELETED): answer with it.
    const [now] = await this.repository.findByIds([id]);
    return now ? toDevice(now) : null;
  }

  private defaultAndroidVersion(): Promise<string | undefined> {
    return this.config.setting('devices.defaultAndroidVersion');
  }

  /**
   * The default for a caller that cannot name a version (billing): unset is
   * the platform's configuration to fix, not the caller's input to refuse,
   * so SERVICE_UNAVAILABLE, and the purchase retries once it is set.
   */
  private async requiredDefaultAndroidVersion(): Promise<string> {
    const version = await this.defaultAndroidVersion();
    if (version === undefined) {
      throw new AppError('SERVICE_UNAVAILABLE', 'Devices cannot be created now', { retryable: true, internalMessage: 'the devices.defaultAndroidVersion setting is not set' });
    }
    return version;
  }

  /**
   * A new device for an owner `scope` covers, under `draft.id`: the owner
   * (active) and its quota from users, the quota checked, capacity reserved
   * for the id, the row inserted CREATING with device.created (provisioning
   * follows it). Refusals: USER_NOT_FOUND, FORBIDDEN, BAD_USER_INPUT,
   * QUOTA_EXCEEDED, INSUFFICIENT_CAPACITY; SERVICE_UNAVAILABLE when users or
   * the scheduler cannot be reached. A device already there under the id is
   * returned as it is (whoever owns it) and keeps its reservation.
   */
  private async createPlaced(context: RequestContext, scope: RowScope, draft: DeviceDraft): Promise<DeviceRow> {
    const { id, userId, spec } = draft;
    // The owner and its quota in one request; users unreachable -> SERVICE_UNAVAILABLE and nothing reserved or written (fail closed).
    const { owner, quota: answered } = await this.users.ownerWithQuota(userId, context.requestId);
    if (!owner) throw new AppError('USER_NOT_FOUND', 'User not found', { details: { field: 'userId' } });
    // The owner's tenant comes from the users subgraph, not the input: an ADMIN cannot claim another tenant's user is its own.
    if (!scopeCovers(scope, { userId, tenantId: owner.tenantId })) throw forbidden('device');
    if (owner.status !== 'ACTIVE') throw new AppError('BAD_USER_INPUT', 'Devices can only be created for active users', { details: { field: 'userId' } });
    // Quota before capacity: a request over it is refused before the scheduler is asked; the insert checks again, atomically.
    const quota = this.quotas.enforceable(answered, userId);
    const added = newDeviceUsage(spec);
    const quotaOwner = { userId, tenantId: owner.tenantId };
    await this.quotas.precheck(context, quotaOwner, quota, added);
    // Capacity next: no node fits -> INSUFFICIENT_CAPACITY and nothing written. Reservations are per device id: asking again finds the first.
    const placed = await this.placement.reserve({ deviceId: id, userId, tenantId: owner.tenantId, spec, placement: draft.placement }, context.requestId);
    try {
      const outcome = await this.repository.insert(
        {
          id,
          userId,
          tenantId: owner.tenantId,
          ownerName: owner.displayName,
          ownerEmail: owner.email,
          ownerVersion: owner.version,
          name: draft.name.trim(),
          provider: draft.provider,
          cpuCores: spec.cpuCores,
          memoryMb: spec.memoryMb,
          storageGb: spec.storageGb,
          androidVersion: draft.androidVersion,
          templateId: draft.templateId,
          nodeId: placed.nodeId,
          status: 'CREATING',
        },
        context,
        this.quotas.check(quota, added),
      );
      // Over quota after all (a concurrent create won the owner's lock first): the catch below gives the capacity back.
      if (outcome.kind === 'over-quota') throw await this.quotas.refusal(context, quotaOwner, outcome.breach);
      // 'exists': a create with the same id wrote it first; the reservation is that device's, so it stays.
      return outcome.device;
    } catch (error) {
      // The device was not written: give its capacity back now (the scheduler's sweep expires it if this call is lost too).
      await this.placement.release(id, context.requestId).catch((releaseError: unknown) => this.logger.warn(`releasing the reservation of unwritten device ${id} failed: ${(releaseError as Error).message}`));
      throw error;
    }
  }

  /**
   * The device a mutation acts on, once the caller is known to hold
   * device:write over it: DEVICE_NOT_FOUND, or FORBIDDEN out of its write
   * scope. Read afresh (not through the request's loader, which holds what
   * the caller may read). The owner never changes, so the check holds for
   * the write that follows.
   */
  private async writable(context: RequestContext, id: string): Promise<DeviceRow> {
    assertAnyAccess(context.principal, 'device', 'write');
    const [row] = await this.repository.findByIds([id]);
    if (!row) throw new AppError('DEVICE_NOT_FOUND', 'Device not found', { details: { id } });
    assertAccess(context.principal, 'device', deviceOwner(row), 'write');
    return row;
  }

  /**
   * Changes a device's status along the lifecycle (status-machine.ts); an
   * illegal move is BAD_USER_INPUT naming both states. Needs device:write
   * over the device.
   */
  async changeStatus(context: RequestContext, id: string, to: DeviceStatus): Promise<Device> {
    const row = await this.writable(context, id);
    if (to !== DeviceStatus.RUNNING) return this.move(context, id, to);
    // startDevice: the owner's quota, or no start (fail closed); a STOPPED device starts only within maxRunningDevices.
    const quota = await this.quotas.quotaOf(context, row.userId);
    return this.move(context, id, to, { check: this.quotas.check(quota, START_USAGE), owner: { userId: row.userId, tenantId: row.tenantId } });
  }

  /**
   * The status change itself, for callers that checked access already.
   * `quota`: a start from STOPPED is checked against it under the owner's lock.
   */
  private async move(context: RequestContext, id: string, to: DeviceStatus, quota?: { check: QuotaCheck; owner: QuotaOwner }): Promise<Device> {
    // A (re)started phone begins healthy; health sweeps take it from there.
    const outcome = await this.repository.transition(id, to, context, to === DeviceStatus.RUNNING ? { healthScore: 100 } : {}, quota?.check);
    switch (outcome.kind) {
      case 'changed':
        return toDevice(outcome.device);
      case 'not-found':
        throw new AppError('DEVICE_NOT_FOUND', 'Device not found', { details: { id } });
      case 'illegal':
        throw new AppError('BAD_USER_INPUT', `A ${outcome.from} device cannot become ${to}`, { details: { field: 'id', status: outcome.from } });
      case 'over-quota':
        // Only a start given a quota check is refused for a quota.
        throw quota ? await this.quotas.refusal(context, quota.owner, outcome.breach) : quotaExceeded(outcome.breach);
    }
  }

  /**
   * RUNNING: stop then start (two status changes); ERROR: recover to RUNNING. Other states cannot restart.
   * Not checked against the quota: a restart gives back the running slot it takes.
   */
  async restart(context: RequestContext, id: string): Promise<Device> {
    const current = await this.writable(context, id);
    if (current.status === 'RUNNING') await this.move(context, id, DeviceStatus.STOPPED);
    else if (current.status !== 'ERROR') throw new AppError('BAD_USER_INPUT', `A ${current.status} device cannot restart`, { details: { field: 'id', status: current.status } });
    return this.move(context, id, DeviceStatus.RUNNING);
  }

  /**
   * The same action on many devices, each on its own: one device's failure
   * does not stop the others, and each result says what happened to its id.
   */
  async forEach(ids: readonly string[], action: (id: string) => Promise<Device>): Promise<DeviceOperationResult[]> {
    if (ids.length === 0 || ids.length > MAX_BATCH) throw badUserInput(`Give 1 to ${MAX_BATCH} device ids`, 'ids');
    const unique = [...new Set(ids.map((id) => parseId(id, 'ids')))];
    const results: DeviceOperationResult[] = [];
    for (const id of unique) {
      try {
        results.push({ id, device: await action(id), error: null });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        results.push({ id, device: null, error: { code: error.code, message: error.userMessage } });
      }
    }
    return results;
  }

  async update(context: RequestContext, id: string, input: UpdateDeviceInput): Promise<Device> {
    await this.writable(context, id);
    const row = await this.repository.update(id, input.name != null ? { name: input.name.trim() } : {}, context);
    if (!row) throw new AppError('DEVICE_NOT_FOUND', 'Device not found', { details: { id } });
    return toDevice(row);
  }
}
