import type { Database, SubgraphDatabase } from '@cloudphone/db';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { LedgerService } from '../balances/ledger.service.js';
import { BillingRulesRepository } from '../billing-rules/billing-rules.repository.js';
import { type RuleSpec, pickRule } from '../billing-rules/rule-match.js';
import { BILLING_SETTINGS, type BillingSettings } from '../config.js';
import type { MeteredDeviceRow, MeteringStatusEventRow, UsageRecordRow } from '../database/schema.js';
import { InvoicesRepository } from '../invoices/invoices.repository.js';
import { type SegmentCharge, chargeSegment, splitCharge } from './cost.js';
import { coveredMs, prepaidPeriods } from './coverage.js';
import { sweepCutoff } from './cutoff.js';
import type { DeviceSpecs, DeviceSpecsSource } from '../peers/devices.client.js';
import { MeteringRepository } from './metering.repository.js';

/** DI token of the DeviceSpecsSource (the devices subgraph; a fake in tests). */
export const DEVICE_SPECS = Symbol('DEVICE_SPECS');

/** A device.status.changed as metering reads it. */
export interface StatusChange {
  deviceId: string;
  userId: string;
  tenantId: string | null;
  status: string;
  previousStatus: string;
  /** The device's version after the change: orders the changes of one device. */
  version: number;
  changedAt: Date;
}

/** Who pays for a device's running time and what prices it. */
interface MeteredDevice extends DeviceSpecs {
  deviceId: string;
  userId: string;
  tenantId: string | null;
}

type UsageEndValue = NonNullable<UsageRecordRow['endedBy']>;

/** The status event that ends the run opened just before it: a move from RUNNING to anything else. */
function endsRun(event: MeteringStatusEventRow): boolean {
  return event.status !== 'RUNNING' && event.previousStatus === 'RUNNING';
}

function specsOfRecord(record: UsageRecordRow): MeteredDevice {
  const spec: RuleSpec = { cpuCores: record.cpuCores, memoryMb: record.memoryMb, storageGb: record.storageGb };
  return { deviceId: record.deviceId, userId: record.userId, tenantId: record.tenantId, provider: record.provider, spec };
}

/**
 * Meters running time and charges it to balances.
 *
 * A device's status events pair up by version: a RUNNING change opens a run
 * (usage record, segment 0, from its changedAt); the change that leaves
 * RUNNING closes it at its changedAt and charges it. Each event is recorded
 * (device, version) before it is applied, so a duplicate (same change under
 * another event id) changes nothing; an event that arrives late pairs with
 * the neighbours already recorded: a late RUNNING whose stop is already here
 * is opened and closed at once, a stop whose RUNNING is still missing waits
 * for it.
 *
 * The sweep charges long runs: every cut-off (sweepCutoff) it closes the open
 * segment at the cut-off and opens the next one, in one transaction that
 * holds the device's metering row, which the status consumer takes too, so
 * the two never close the same segment twice (and closing is a compare and
 * set on ended_at anyway); a device whose row is busy is left for the next
 * sweep (SKIP LOCKED), so replicas share the work.
 *
 * Charging: cost from chargeSegment (BigInt, rounded up once per run), less
 * time prepaid by a paid plan order for the device. The debit is one ledger
 * CONSUME with key `usage:<record id>`, so a retried close never charges
 * twice. The balance never goes negative: when it cannot cover the cost, what
 * is there is debited and the rest is recorded as unpaid on the record (due on
 * the invoice; not collected later by metering).
 */
@Injectable()
export class MeteringService {
  constructor(
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    private readonly repository: MeteringRepository,
    private readonly rules: BillingRulesRepository,
    private readonly invoices: InvoicesRepository,
    private readonly ledger: LedgerService,
    @Inject(DEVICE_SPECS) private readonly specs: DeviceSpecsSource,
    @Inject(BILLING_SETTINGS) private readonly settings: BillingSettings,
  ) {}

  /** Applies one device.status.changed inside the caller's (inbox) transaction. */
  async applyStatusChange(tx: Database, change: StatusChange, origin: { requestId: string }): Promise<void> {
    const { deviceId, userId, tenantId, version, status, previousStatus, changedAt } = change;
    const device = await this.repository.lockDevice(tx, { deviceId, userId, tenantId });
    if (!(await this.repository.logStatus(tx, { deviceId, version, status, previousStatus, changedAt }))) return;

    if (status === 'RUNNING') {
      const next = await this.repository.neighbourLogged(tx, deviceId, version, 'next');
      const metered = await this.meteredDevice(tx, device, origin);
      const opened = await this.openSegment(tx, metered, { runVersion: version, segment: 0, startedAt: changedAt });
      if (opened && next && endsRun(next)) await this.closeSegment(tx, opened, next.changedAt, 'STATUS_CHANGE', origin);
      return;
    }
    if (previousStatus !== 'RUNNING') return;
    const previous = await this.repository.neighbourLogged(tx, deviceId, version, 'previous');
    if (previous?.status !== 'RUNNING') return;
    const open = await this.repository.openSegmentOfRun(tx, deviceId, previous.version);
    if (open) await this.closeSegment(tx, open, changedAt, 'STATUS_CHANGE', origin);
  }

  /**
   * Charges every running device up to the current cut-off and opens the
   * continuation of its run there. Safe to run on every replica at once.
   */
  async sweep(now = new Date(), batch = 200): Promise<{ cutoff: Date; cut: number }> {
    const cutoff = sweepCutoff(now, this.settings.meteringIntervalMs, this.settings.meteringGraceMs);
    const origin = { requestId: `metering-sweep-${cutoff.toISOString()}` };
    let cut = 0;
    for (;;) {
      const deviceIds = await this.repository.devicesToCut(cutoff, batch);
      let progressed = 0;
      for (const deviceId of deviceIds) progressed += await this.database.background.transaction((tx) => this.cutDevice(tx, deviceId, cutoff, origin));
      cut += progressed;
      if (deviceIds.length < batch || progressed === 0) return { cutoff, cut };
    }
  }

  private async cutDevice(tx: Database, deviceId: string, cutoff: Date, origin: { requestId: string }): Promise<number> {
    if (!(await this.repository.lockDeviceIfFree(tx, deviceId))) return 0;
    let cut = 0;
    for (const record of await this.repository.openSegmentsToCut(tx, deviceId, cutoff)) {
      const charge = await this.closeSegment(tx, record, cutoff, 'PERIODIC_CUT', origin);
      if (!charge) continue;
      await this.openSegment(tx, specsOfRecord(record), { runVersion: record.runVersion, segment: record.segment + 1, startedAt: cutoff }, { currency: record.currency, units: charge.carryOutUnits });
      cut += 1;
    }
    return cut;
  }

  /** The device with its provider and spec, asked of the devices subgraph the first time (they never change). */
  private async meteredDevice(tx: Database, device: MeteredDeviceRow, origin: { requestId: string }): Promise<MeteredDevice> {
    const owner = { deviceId: device.deviceId, userId: device.userId, tenantId: device.tenantId };
    if (device.provider !== null && device.cpuCores !== null && device.memoryMb !== null && device.storageGb !== null) {
      return { ...owner, provider: device.provider, spec: { cpuCores: device.cpuCores, memoryMb: device.memoryMb, storageGb: device.storageGb } };
    }
    const specs = await this.specs.specsOf(device.deviceId, origin.requestId);
    // Thrown: the delivery is retried (and dead-lettered if the device never shows up).
    if (!specs) throw new Error(`device ${device.deviceId} is running but the devices subgraph does not know it`);
    await this.repository.setDeviceSpecs(tx, device.deviceId, specs.provider, specs.spec);
    return { ...owner, ...specs };
  }

  /** Opens a segment at the price of the rule in force now; `carry` passes the run's paid-for fraction on, in the same currency only. */
  private async openSegment(
    tx: Database,
    device: MeteredDevice,
    segment: { runVersion: number; segment: number; startedAt: Date },
    carry?: { currency: string; units: number },
  ): Promise<UsageRecordRow | undefined> {
    const rule = pickRule(await this.rules.candidatesFor(tx, device.provider, device.spec), device.provider, device.spec);
    const currency = rule?.currency ?? this.settings.currency;
    return this.repository.openSegment(tx, {
      deviceId: device.deviceId,
      userId: device.userId,
      tenantId: device.tenantId,
      provider: device.provider,
      ...device.spec,
      ...segment,
      ruleId: rule?.id ?? null,
      pricePerHourMinor: rule?.pricePerHourMinor ?? null,
      currency,
      carryInUnits: carry?.currency === currency ? carry.units : 0,
    });
  }

  /**
   * Ends a segment at `endAt` (never before it started: a stop that arrives
   * after a cut past it ends the continuation empty), puts it on its invoice
   * and charges it. Undefined when someone else ended it first.
   */
  private async closeSegment(tx: Database, record: UsageRecordRow, endAt: Date, endedBy: UsageEndValue, origin: { requestId: string }): Promise<SegmentCharge | undefined> {
    const endedAt = new Date(Math.max(endAt.getTime(), record.startedAt.getTime()));
    const span = { start: record.startedAt.getTime(), end: endedAt.getTime() };
    const covered = coveredMs(span, prepaidPeriods(await this.repository.paidPlanOrders(tx, record.deviceId, record.startedAt, endedAt)));
    const durationMs = span.end - span.start;
    const charge = record.pricePerHourMinor === null ? { costMinor: 0, carryOutUnits: 0 } : chargeSegment(durationMs - covered, record.pricePerHourMinor, record.carryInUnits);
    const invoice = await this.invoices.invoiceForCharge(tx, { userId: record.userId, tenantId: record.tenantId, currency: record.currency }, endedAt, new Date());
    const closed = await this.repository.closeSegment(tx, record.id, { endedAt, endedBy, durationMs, coveredMs: covered, costMinor: charge.costMinor, invoiceId: invoice.id });
    if (!closed) return undefined;
    if (charge.costMinor > 0) {
      const balanceTaken = await this.debit(tx, closed, charge.costMinor, origin);
      await this.repository.setCharged(tx, closed.id, splitCharge(charge.costMinor, balanceTaken));
    }
    return charge;
  }

  /** Debits up to `costMinor` for a closed record (all of it, or what the balance holds); returns what was debited. */
  private async debit(tx: Database, record: UsageRecordRow, costMinor: number, origin: { requestId: string }): Promise<number> {
    const entry = {
      userId: record.userId,
      tenantId: record.tenantId,
      currency: record.currency,
      type: 'CONSUME' as const,
      amountMinor: -costMinor,
      idempotencyKey: `usage:${record.id}`,
      referenceType: 'usage_record',
      referenceId: record.id,
      description: `Device ${record.deviceId} running from ${record.startedAt.toISOString()} to ${record.endedAt?.toISOString() ?? '?'}`,
    };
    const full = await this.ledger.post(tx, entry, origin);
    if (full.kind !== 'insufficient') return -full.entry.amountMinor;
    if (full.balanceMinor === 0) return 0;
    // The balance row stays locked by this transaction: what it holds now is what the second post takes.
    const part = await this.ledger.post(tx, { ...entry, amountMinor: -full.balanceMinor, description: `${entry.description} (partly: balance exhausted)` }, origin);
    return part.kind === 'insufficient' ? 0 : -part.entry.amountMinor;
  }
}
