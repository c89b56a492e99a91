import { Module } from '@nestjs/common';
import { MeteringModule } from '../metering/metering.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { DeviceResolver } from './device.resolver.js';

@Module({
  imports: [OrdersModule, MeteringModule],
  providers: [DeviceResolver],
})
export class DevicesModule {}
