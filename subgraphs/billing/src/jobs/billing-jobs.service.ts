import type { SubgraphDatabase } from '@cloudphone/db';
import { DATABASE, PeriodicTask } from '@cloudphone/subgraph-kit';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BILLING_SETTINGS, type BillingSettings } from '../config.js';
import { InvoicesService } from '../invoices/invoices.service.js';
import { MeteringService } from '../metering/metering.service.js';

/** How long until the next cut-off of `intervalMs` plus `graceMs` (when the sweep has something new to charge). */
export function delayToNextCut(now: number, intervalMs: number, graceMs: number): number {
  const next = (Math.floor((now - graceMs) / intervalMs) + 1) * intervalMs + graceMs;
  return Math.max(0, next - now);
}

/**
 * Runs billing's periodic work on every replica: the metering sweep at each
 * cut-off (plus its grace), then invoice closing. Both are safe to run on
 * several replicas at once; a run still going when the next is due is not
 * doubled.
 */
@Injectable()
export class BillingJobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('billing-jobs');
  private readonly task = new PeriodicTask(
    () => this.runOnce(),
    () => delayToNextCut(Date.now(), this.settings.meteringIntervalMs, this.settings.meteringGraceMs),
    (error) => this.logger.warn(`billing jobs failed, will retry at the next cut: ${error.message}`),
  );

  constructor(
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    private readonly metering: MeteringService,
    private readonly invoices: InvoicesService,
    @Inject(BILLING_SETTINGS) private readonly settings: BillingSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (this.database.kind !== 'none') this.task.start(0);
  }

  /** One sweep and one closing pass. */
  async runOnce(now = new Date()): Promise<void> {
    const swept = await this.metering.sweep(now);
    const invoices = await this.invoices.closeDue(now);
    if (swept.cut + invoices.closed > 0) this.logger.log(JSON.stringify({ message: 'billing jobs', cutoff: swept.cutoff.toISOString(), segmentsCut: swept.cut, invoicesClosed: invoices.closed }));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
