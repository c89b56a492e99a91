import { cursorOf } from '@cloudphone/db';
import { type Action, type Principal, assertAnyAccess, forbidden } from '@cloudphone/identity';
import { type ConnectionArgs, type ConnectionShape, type RequestContext, toConnection, toPageRequest } from '@cloudphone/subgraph-kit';
import { Injectable } from '@nestjs/common';
import type { BillingRuleRow } from '../database/schema.js';
import { formatMoney, parseMoney } from '../money/money.js';
import { type BillingRule, type DeviceProvider, type SetBillingRuleInput } from './models/billing-rule.model.js';
import { BillingRulesRepository, RULE_SORT } from './billing-rules.repository.js';

export function toBillingRule(row: BillingRuleRow): BillingRule {
  const spec = row.cpuCores === null || row.memoryMb === null || row.storageGb === null ? null : { cpuCores: row.cpuCores, memoryMb: row.memoryMb, storageGb: row.storageGb };
  return {
    id: row.id,
    provider: row.provider as DeviceProvider,
    spec,
    pricePerHour: formatMoney(row.pricePerHourMinor, row.currency),
    pricePerHourMinor: row.pricePerHourMinor,
    currency: row.currency,
    updatedAt: row.updatedAt,
  };
}

/**
 * Billing rules are the public price list, like plans: they belong to no
 * user or tenant, so only the ALL scope of the `plan` resource reaches them
 * (`plan:read` to read, `plan:write` to set a price).
 */
function assertPriceListAccess(principal: Principal, action: Action): void {
  if (assertAnyAccess(principal, 'plan', action).kind !== 'ALL') throw forbidden('plan');
}

@Injectable()
export class BillingRulesService {
  constructor(private readonly repository: BillingRulesRepository) {}

  async list(context: RequestContext, args: ConnectionArgs, provider: DeviceProvider | undefined): Promise<ConnectionShape<BillingRule>> {
    assertPriceListAccess(context.principal, 'read');
    const request = toPageRequest(args);
    const page = await this.repository.findPage(request, provider);
    return toConnection(page, request, (row) => cursorOf(RULE_SORT, row.createdAt, row.id), toBillingRule);
  }

  /** Sets the price of a provider and spec (or the provider's default); running devices pay it from their next metering cut. */
  async set(context: RequestContext, input: SetBillingRuleInput): Promise<BillingRule> {
    assertPriceListAccess(context.principal, 'write');
    const pricePerHourMinor = parseMoney(input.pricePerHour, input.currency, 'pricePerHour');
    const row = await this.repository.upsert({
      provider: input.provider,
      cpuCores: input.spec?.cpuCores ?? null,
      memoryMb: input.spec?.memoryMb ?? null,
      storageGb: input.spec?.storageGb ?? null,
      pricePerHourMinor,
      currency: input.currency,
    });
    return toBillingRule(row);
  }
}
