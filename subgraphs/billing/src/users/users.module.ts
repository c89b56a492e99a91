import { Module } from '@nestjs/common';
import { BalancesModule } from '../balances/balances.module.js';
import { InvoicesModule } from '../invoices/invoices.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { UserResolver } from './user.resolver.js';

@Module({
  imports: [OrdersModule, BalancesModule, InvoicesModule],
  providers: [UserResolver],
})
export class UsersModule {}
