import { cursorOf } from '@cloudphone/db';
import { rowScope } from '@cloudphone/identity';
import { type ConnectionArgs, type ConnectionShape, type RequestContext, groupByKeys } from '@cloudphone/subgraph-kit';
import { Injectable } from '@nestjs/common';
import type { DeviceProvider } from '../billing-rules/models/billing-rule.model.js';
import type { UsageRecordRow } from '../database/schema.js';
import { formatMoney } from '../money/money.js';
import { connectionOfParent } from '../paging/connection-per-parent.js';
import { MeteringRepository, NEWEST_USAGE_FIRST, type UsageTotalsRow } from './metering.repository.js';
import type { UsageEnd, UsageRecord, UsageTotal } from './models/usage-record.model.js';

const money = (amountMinor: number | null, currency: string) => (amountMinor === null ? null : formatMoney(amountMinor, currency));

export function toUsageRecord(row: UsageRecordRow): UsageRecord {
  return {
    id: row.id,
    deviceId: row.deviceId,
    userId: row.userId,
    provider: row.provider as DeviceProvider,
    spec: { cpuCores: row.cpuCores, memoryMb: row.memoryMb, storageGb: row.storageGb },
    segment: row.segment,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    endedBy: row.endedBy as UsageEnd | null,
    durationMs: row.durationMs,
    coveredMs: row.coveredMs,
    pricePerHour: money(row.pricePerHourMinor, row.currency),
    currency: row.currency,
    cost: money(row.costMinor, row.currency),
    charged: money(row.chargedMinor, row.currency),
    unpaid: money(row.unpaidMinor, row.currency),
  };
}

function toUsageTotal(row: UsageTotalsRow): UsageTotal {
  return {
    currency: row.currency,
    records: row.records,
    runningMs: row.runningMs,
    cost: formatMoney(row.costMinor, row.currency),
    charged: formatMoney(row.chargedMinor, row.currency),
    unpaid: formatMoney(row.unpaidMinor, row.currency),
  };
}


/** Reads of usage: money, so the `payment` permission and data scope decide whose records one sees. */
@Injectable()
export class UsageService {
  constructor(private readonly repository: MeteringRepository) {}

  /** A device's usage records within the principal's scope, newest first; one statement for any number of devices. */
  usageOfDevice(context: RequestContext, deviceId: string, args: ConnectionArgs): Promise<ConnectionShape<UsageRecord>> {
    return connectionOfParent(context, deviceId, args, {
      name: 'Device.usage',
      resource: 'payment',
      pages: (ids, request, scope) => this.repository.pagesPerDevice(ids, request, scope),
      cursor: (row) => cursorOf(NEWEST_USAGE_FIRST, row.startedAt, row.id),
      toNode: toUsageRecord,
    });
  }

  /** A device's closed usage added up per currency within the principal's scope; one statement for any number of devices. */
  totalsOfDevice(context: RequestContext, deviceId: string): Promise<UsageTotal[]> {
    const scope = rowScope(context.principal, 'payment');
    return context.loaders
      .get<string, UsageTotal[]>('Device.usageTotals', async (ids) => groupByKeys(ids, await this.repository.totalsPerDevice(ids, scope), (row) => row.deviceId).map((rows) => rows.map(toUsageTotal)))
      .load(deviceId);
  }
}
