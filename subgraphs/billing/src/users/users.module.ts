import { Module } from '@nestjs/common';
import { InvoicesModule } from '../invoices/invoices.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { UserResolver } from './user.resolver.js';

@Module({
  imports: [OrdersModule, InvoicesModule],
  providers: [UserResolver],
})
export class UsersModule {}
