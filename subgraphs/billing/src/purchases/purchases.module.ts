import { Module } from '@nestjs/common';
import { BalancesModule } from '../balances/balances.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { PaymentsModule } from '../payments/payments.module.js';
import { PlansModule } from '../plans/plans.module.js';
import { SagasModule } from '../sagas/sagas.module.js';
import { PurchasePlanSaga } from './purchase-plan.saga.js';
import { PurchasesResolver } from './purchases.resolver.js';
import { PurchasesService } from './purchases.service.js';

/** Buying a plan: the purchasePlan mutation and the saga that carries it out. */
@Module({
  imports: [BalancesModule, OrdersModule, PaymentsModule, PlansModule, SagasModule],
  providers: [PurchasePlanSaga, PurchasesService, PurchasesResolver],
})
export class PurchasesModule {}
