import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module.js';
import { DeviceResolver } from './device.resolver.js';

@Module({
  imports: [OrdersModule],
  providers: [DeviceResolver],
})
export class DevicesModule {}
