import { OrderCopiesConsumer } from './order-copies.consumer.js';
import { Module } from '@nestjs/common';
import { MeteringModule } from '../metering/metering.module.js';
import { PlansModule } from '../plans/plans.module.js';
import { OrdersRepository } from './orders.repository.js';
import { OrdersResolver } from './orders.resolver.js';
import { OrdersService } from './orders.service.js';

@Module({
  imports: [PlansModule, MeteringModule],
  providers: [OrdersRepository, OrdersService, OrdersResolver, OrderCopiesConsumer],
  exports: [OrdersService],
})
export class OrdersModule {}
