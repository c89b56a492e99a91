import { randomUUID } from 'node:crypto';
import type { SubgraphDatabase } from '@cloudphone/db';
import { DATABASE, PeriodicTask } from '@cloudphone/subgraph-kit';
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
  private readonly task = new PeriodicTask(
    () => this.sweep(),
    () => this.settings.expiryIntervalMs,
    (error) => this.logger.warn(`order expiry sweep failed: ${error.message}`),
  );

  constructor(
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    private readonly orders: OrdersRepository,
    private readonly payments: PaymentsService,
    @Inject(BILLING_SETTINGS) private readonly settings: BillingSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (this.database.kind !== 'none') this.task.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  async sweep(): Promise<void> {
    const requestId = randomUUID();
    const cancelled = await this.orders.cancelExpired({ requestId }, BATCH);
    if (cancelled.length > 0) this.logger.log(`cancelled ${cancelled.length} unpaid order(s) past their payment window`);
    await this.payments.refundPending(requestId);
  }
}
