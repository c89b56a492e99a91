import { cursorOf } from '@cloudphone/db';
import { AppError } from '@cloudphone/errors';
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

@Injectable()
export class ApplicationsService {
  constructor(private readonly repository: ApplicationsRepository) {}

  /** Batched by request: resolving N applications in one tick is one query. */
  byId(context: RequestContext, id: string): Promise<Application | null> {
    return context.loaders
      .get<string, Application | null>('Application.byId', async (ids) =>
        byKeys(ids, (await this.repository.findByIds(ids)).map(toApplication), (application) => application.id),
      )
      .load(id);
  }

  async list(args: ConnectionArgs, filter: ApplicationFilter | null | undefined): Promise<ConnectionShape<Application>> {
    const request = toPageRequest(args);
    const page = await this.repository.findPage({ status: filter?.status ?? undefined, category: filter?.category?.trim() ?? undefined }, request);
    return toConnection(page, request, (row) => cursorOf(APPLICATION_SORT, row.createdAt, row.id), toApplication);
  }

  async create(input: CreateApplicationInput): Promise<Application> {
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

  review(id: string, input: ReviewApplicationInput): Promise<Application> {
    return this.change(id, reviewChange(input.approve, input.reason));
  }

  setAvailability(id: string, available: boolean): Promise<Application> {
    return this.change(id, availabilityChange(available));
  }

  private async change(id: string, change: ApplicationStatusChange): Promise<Application> {
    const updated = await this.repository.updateStatus(id, change.from, {
      status: change.to,
      ...(change.reviewReason !== undefined ? { reviewReason: change.reviewReason } : {}),
    });
    if (updated) return toApplication(updated);
    const [current] = await this.repository.findByIds([id]);
    if (!current) throw applicationNotFound(id);
    throw refusedChange(change, current.status as ApplicationStatus);
  }
}
