import { cursorOf } from '@cloudphone/db';
import { AppError } from '@cloudphone/errors';
import { type Action, type Principal, assertAnyAccess, forbidden } from '@cloudphone/identity';
import { type ConnectionArgs, type ConnectionShape, type RequestContext, UNIQUE_VIOLATION, byKeys, sqlState, toConnection, toPageRequest } from '@cloudphone/subgraph-kit';
import { Injectable } from '@nestjs/common';
import type { PlanRow } from '../database/schema.js';
import { formatMoney, parseMoney } from '../money/money.js';
import type { CreatePlanInput } from './models/plan.inputs.js';
import type { Plan, PlanTier } from './models/plan.model.js';
import { PLAN_SORT, PlansRepository } from './plans.repository.js';

export function toPlan(row: PlanRow): Plan {
  return {
    id: row.id,
    name: row.name,
    tier: row.tier as PlanTier,
    price: formatMoney(row.priceMinor, row.currency),
    priceMinor: row.priceMinor,
    currency: row.currency,
    periodDays: row.periodDays,
    spec: { cpuCores: row.cpuCores, memoryMb: row.memoryMb, storageGb: row.storageGb },
    maxDevices: row.maxDevices,
    active: row.active,
  };
}

function duplicateName(error: unknown, name: string): never {
  if (sqlState(error) === UNIQUE_VIOLATION) throw new AppError('CONFLICT', `A plan named "${name}" already exists`, { details: { field: 'name' } });
  throw error;
}

/**
 * Plans belong to no user or tenant, so only the ALL scope reaches them
 * (services have it): `plan:read` to read them, `plan:write` (a SUPER_ADMIN's)
 * to create or withdraw one. A SELF or TENANT scope on plans, which no
 * default role has, reaches nothing: fail closed.
 */
function assertPlanAccess(principal: Principal, action: Action): void {
  if (assertAnyAccess(principal, 'plan', action).kind !== 'ALL') throw forbidden('plan');
}

@Injectable()
export class PlansService {
  constructor(private readonly repository: PlansRepository) {}

  /** `plan(id)` and `_entities`: a plan, for a principal that may read plans. */
  async byId(context: RequestContext, id: string): Promise<Plan | null> {
    assertPlanAccess(context.principal, 'read');
    return this.find(context, id);
  }

  /**
   * Internal look-up, unchecked: the plan of an order the caller may see or
   * place. Batched by request: any number of plan look-ups in one tick is one query.
   */
  find(context: RequestContext, id: string): Promise<Plan | null> {
    return context.loaders
      .get<string, Plan | null>('Plan.byId', async (ids) => byKeys(ids, (await this.repository.findByIds(ids)).map(toPlan), (plan) => plan.id))
      .load(id);
  }

  async list(context: RequestContext, args: ConnectionArgs): Promise<ConnectionShape<Plan>> {
    assertPlanAccess(context.principal, 'read');
    const request = toPageRequest(args);
    const page = await this.repository.findPage(request);
    return toConnection(page, request, (row) => cursorOf(PLAN_SORT, row.createdAt, row.id), toPlan);
  }

  async create(context: RequestContext, input: CreatePlanInput): Promise<Plan> {
    assertPlanAccess(context.principal, 'write');
    const priceMinor = parseMoney(input.price, input.currency, 'price');
    const row = await this.repository
      .insert({
        name: input.name,
        tier: input.tier,
        priceMinor,
        currency: input.currency,
        periodDays: input.periodDays,
        cpuCores: input.cpuCores,
        memoryMb: input.memoryMb,
        storageGb: input.storageGb,
        maxDevices: input.maxDevices,
      })
      .catch((error: unknown) => duplicateName(error, input.name));
    return toPlan(row);
  }

  async setActive(context: RequestContext, id: string, active: boolean): Promise<Plan> {
    assertPlanAccess(context.principal, 'write');
    const row = await this.repository.setActive(id, active);
    if (!row) throw new AppError('PLAN_NOT_FOUND', 'Plan not found', { details: { id } });
    return toPlan(row);
  }
}
