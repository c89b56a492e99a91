import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module.js';
import { UserResolver } from './user.resolver.js';

@Module({
  imports: [OrdersModule],
  providers: [UserResolver],
})
export class UsersModule {}
