import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module.js';
import { OrdersRepository } from './orders.repository.js';
import { OrdersResolver } from './orders.resolver.js';
import { OrdersService } from './orders.service.js';

@Module({
  imports: [PlansModule],
  providers: [OrdersRepository, OrdersService, OrdersResolver],
  exports: [OrdersService],
})
export class OrdersModule {}
