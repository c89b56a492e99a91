import { cursorOf } from '@cloudphone/db';
import { AppError } from '@cloudphone/errors';
import { type Action, type Principal, type RowScope, assertAnyAccess, forbidden } from '@cloudphone/identity';
import { type ConnectionArgs, type ConnectionShape, type RequestContext, UNIQUE_VIOLATION, byKeys, sqlState, toConnection, toPageRequest } from '@cloudphone/subgraph-kit';
import { Injectable } from '@nestjs/common';
import type { ApplicationRow } from '../database/schema.js';
import { type ApplicationStatusChange, availabilityChange, refusedChange, reviewChange } from './application-lifecycle.js';
import { APPLICATION_SORT, ApplicationsRepository } from './applications.repository.js';
import type { CreateApplicationInput, ReviewApplicationInput } from './models/application.inputs.js';
import type { Application, ApplicationFilter, ApplicationStatus } from './models/application.model.js';

export function toApplication(row: ApplicationRow): Application {
  return {
    id: row.id,
    packageName: row.packageName,
    name: row.name,
    versionName: row.versionName,
    versionCode: row.versionCode,
    sizeBytes: row.sizeBytes,
    category: row.category,
    iconUrl: row.iconUrl,
    status: row.status as ApplicationStatus,
    createdAt: row.createdAt,
  };
}

function duplicateVersion(error: unknown, input: CreateApplicationInput): never {
  if (sqlState(error) === UNIQUE_VIOLATION) {
    throw new AppError('CONFLICT', `Version ${input.versionCode} of ${input.packageName} already exists`, { details: { field: 'versionCode' } });
  }
  throw error;
}

function applicationNotFound(id: string): AppError {
  return new AppError('APPLICATION_NOT_FOUND', 'Application not found', { details: { id } });
}

/**
 * The catalogue belongs to no user or tenant, so only the ALL scope reaches it
 * (services have it): `application:read` to read it, `application:write` (a
 * SUPER_ADMIN's) to submit, review or offer applications. A SELF or TENANT
 * scope on it, which no default role has, finds nothing: fail closed.
 */
function assertCatalogueAccess(principal: Principal, action: Action): RowScope {
  const scope = assertAnyAccess(principal, 'application', action);
  if (scope.kind !== 'ALL') throw forbidden('application');
  return scope;
}

@Injectable()
export class ApplicationsService {
  constructor(private readonly repository: ApplicationsRepository) {}

  /** `application(id)` and `_entities`: the catalogue entry, for a principal that may read the catalogue. */
  async byId(context: RequestContext, id: string): Promise<Application | null> {
    assertCatalogueAccess(context.principal, 'read');
    return this.find(context, id);
  }

  /**
   * Internal look-up, unchecked: the application of an install the caller may
   * see or make. Batched by request: resolving N applications in one tick is one query.
   */
  find(context: RequestContext, id: string): Promise<Application | null> {
    return context.loaders
      .get<string, Application | null>('Application.byId', async (ids) =>
        byKeys(ids, (await this.repository.findByIds(ids)).map(toApplication), (application) => application.id),
      )
      .load(id);
  }

  async list(context: RequestContext, args: ConnectionArgs, filter: ApplicationFilter | null | undefined): Promise<ConnectionShape<Application>> {
    assertCatalogueAccess(context.principal, 'read');
    const request = toPageRequest(args);
    const page = await this.repository.findPage({ status: filter?.status ?? undefined, category: filter?.category?.trim() ?? undefined }, request);
    return toConnection(page, request, (row) => cursorOf(APPLICATION_SORT, row.createdAt, row.id), toApplication);
  }

  async create(context: RequestContext, input: CreateApplicationInput): Promise<Application> {
    assertCatalogueAccess(context.principal, 'write');
    const row = await this.repository
      .insert({
        packageName: input.packageName,
        name: input.name.trim(),
        versionName: input.versionName.trim(),
        versionCode: input.versionCode,
        sizeBytes: input.sizeBytes,
        category: input.category.trim(),
        iconUrl: input.iconUrl ?? null,
      })
      .catch((error: unknown) => duplicateVersion(error, input));
    return toApplication(row);
  }

  review(context: RequestContext, id: string, input: ReviewApplicationInput): Promise<Application> {
    assertCatalogueAccess(context.principal, 'write');
    // The reviewer is known now: the acting user (null for a service).
    return this.change(id, { ...reviewChange(input.approve, input.reason), reviewedBy: context.principal.userId });
  }

  setAvailability(context: RequestContext, id: string, available: boolean): Promise<Application> {
    assertCatalogueAccess(context.principal, 'write');
    return this.change(id, availabilityChange(available));
  }

  private async change(id: string, change: ApplicationStatusChange & { reviewedBy?: string | null }): Promise<Application> {
    const updated = await this.repository.updateStatus(id, change.from, {
      status: change.to,
      ...(change.reviewReason !== undefined ? { reviewReason: change.reviewReason } : {}),
      ...(change.reviewedBy !== undefined ? { reviewedBy: change.reviewedBy } : {}),
    });
    if (updated) return toApplication(updated);
    const [current] = await this.repository.findByIds([id]);
    if (!current) throw applicationNotFound(id);
    throw refusedChange(change, current.status as ApplicationStatus);
  }
}
