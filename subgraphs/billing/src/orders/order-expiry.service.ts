import { randomUUID } from 'node:crypto';
import type { SubgraphDatabase } from '@cloudphone/db';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { BILLING_SETTINGS, type BillingSettings } from '../config.js';
import { PaymentsService } from '../payments/payments.service.js';
import { OrdersRepository } from './orders.repository.js';

const BATCH = 100;

/**
 * Every ORDER_EXPIRY_INTERVAL_MS: cancels pending orders whose payment
 * window has closed (a purchase saga cancels its own, voiding its payment),
 * and gives back money captured after its order was given up. Safe with
 * several replicas (SKIP LOCKED, compare-and-set, keyed refunds).
 */
@Injectable()
export class OrderExpiryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('billing-order-expiry');
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    private readonly orders: OrdersRepository,
    private readonly payments: PaymentsService,
    @Inject(BILLING_SETTINGS) private readonly settings: BillingSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (this.database.kind === 'none') return;
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep()
        .catch((error: unknown) => this.logger.warn(`order expiry sweep failed: ${(error as Error).message}`))
        .finally(() => {
          this.sweeping = undefined;
        });
    }, this.settings.expiryIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  async sweep(): Promise<void> {
    const requestId = randomUUID();
    const cancelled = await this.orders.cancelExpired({ requestId }, BATCH);
    if (cancelled.length > 0) this.logger.log(`cancelled ${cancelled.length} unpaid order(s) past their payment window`);
    await this.payments.refundPending(requestId);
  }
}
