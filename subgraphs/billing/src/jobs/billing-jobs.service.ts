import type { SubgraphDatabase } from '@cloudphone/db';
import { DATABASE } from '@cloudphone/subgraph-kit';
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
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    private readonly metering: MeteringService,
    private readonly invoices: InvoicesService,
    @Inject(BILLING_SETTINGS) private readonly settings: BillingSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (this.database.kind === 'none') return;
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce().finally(() => {
        this.running = undefined;
        this.schedule(delayToNextCut(Date.now(), this.settings.meteringIntervalMs, this.settings.meteringGraceMs));
      });
    }, delayMs);
    this.timer.unref();
  }

  /** One sweep and one closing pass; failures are logged and retried at the next cut. */
  async runOnce(now = new Date()): Promise<void> {
    try {
      const swept = await this.metering.sweep(now);
      const invoices = await this.invoices.closeDue(now);
      if (swept.cut + invoices.closed > 0) this.logger.log(JSON.stringify({ message: 'billing jobs', cutoff: swept.cutoff.toISOString(), segmentsCut: swept.cut, invoicesClosed: invoices.closed }));
    } catch (error) {
      this.logger.warn(`billing jobs failed, will retry at the next cut: ${(error as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
