import { Module } from '@nestjs/common';
import { BalancesModule } from '../balances/balances.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { UserResolver } from './user.resolver.js';

@Module({
  imports: [OrdersModule, BalancesModule],
  providers: [UserResolver],
})
export class UsersModule {}
