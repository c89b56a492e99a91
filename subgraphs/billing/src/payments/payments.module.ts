import { Inject, Logger, Module, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { BalancesModule } from '../balances/balances.module.js';
import { BILLING_SETTINGS, type BillingSettings } from '../config.js';
import { SagasModule } from '../sagas/sagas.module.js';
import { PaymentCallbacksController } from './payment-callbacks.controller.js';
import { PAYMENT_PROVIDER, type PaymentProvider } from './payment-provider.js';
import { PaymentSettlement } from './payment-settlement.js';
import { PaymentsRepository } from './payments.repository.js';
import { PaymentsResolver } from './payments.resolver.js';
import { PaymentsService } from './payments.service.js';
import { SIMULATED_PROVIDER, SimulatedPaymentProvider } from './simulated-provider.js';

/** The simulated provider calls back this subgraph's own webhook unless PAYMENT_CALLBACK_URL says otherwise (known once the server listens). */
function simulatedProvider(settings: BillingSettings, adapter: HttpAdapterHost): SimulatedPaymentProvider {
  const logger = new Logger('billing-simulated-provider');
  return new SimulatedPaymentProvider({
    secret: settings.providerSecret,
    delayMs: settings.providerDelayMs,
    lateDelayMs: settings.providerLateMs,
    callbackUrl: () => {
      if (settings.callbackUrl) return settings.callbackUrl;
      const address = adapter.httpAdapter?.getHttpServer()?.address() as AddressInfo | string | null | undefined;
      return address && typeof address === 'object' ? `http://127.0.0.1:${address.port}/webhooks/payments/${SIMULATED_PROVIDER}` : undefined;
    },
    onDeliveryError: (error) => logger.warn(`callback delivery failed: ${error.message}`),
  });
}

@Module({
  imports: [BalancesModule, SagasModule],
  controllers: [PaymentCallbacksController],
  providers: [
    { provide: PAYMENT_PROVIDER, useFactory: simulatedProvider, inject: [BILLING_SETTINGS, HttpAdapterHost] },
    PaymentsRepository,
    PaymentSettlement,
    PaymentsService,
    PaymentsResolver,
  ],
  exports: [PaymentsRepository, PaymentSettlement, PaymentsService, PAYMENT_PROVIDER],
})
export class PaymentsModule implements OnModuleDestroy {
  constructor(@Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider) {}

  onModuleDestroy(): void {
    if (this.provider instanceof SimulatedPaymentProvider) this.provider.close();
  }
}
