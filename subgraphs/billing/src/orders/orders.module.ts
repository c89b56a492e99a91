import { Module } from '@nestjs/common';
import { PaymentsModule } from '../payments/payments.module.js';
import { MeteringModule } from '../metering/metering.module.js';
import { PlansModule } from '../plans/plans.module.js';
import { SagasModule } from '../sagas/sagas.module.js';
import { OrderCopiesConsumer } from './order-copies.consumer.js';
import { OrderExpiryService } from './order-expiry.service.js';
import { OrdersRepository } from './orders.repository.js';
import { OrdersResolver } from './orders.resolver.js';
import { OrdersService } from './orders.service.js';

@Module({
  imports: [PlansModule, PaymentsModule, SagasModule, MeteringModule],
  providers: [OrdersRepository, OrdersService, OrdersResolver, OrderCopiesConsumer, OrderExpiryService],
  exports: [OrdersService, OrdersRepository],
})
export class OrdersModule {}
