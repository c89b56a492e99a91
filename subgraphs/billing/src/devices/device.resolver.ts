import { type RequestContext, ConnectionArgs, isId } from '@cloudphone/subgraph-kit';
import { Args, Context, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { Order, OrderConnection } from '../orders/models/order.model.js';
import { OrdersService } from '../orders/orders.service.js';
import { Device } from './models/device.model.js';

/** Billing's fields on the devices subgraph's Device. */
@Resolver(() => Device)
export class DeviceResolver {
  constructor(private readonly orderService: OrdersService) {}

  @ResolveField(() => OrderConnection, { nullable: true, description: 'Orders placed for the device, newest first; null when billing cannot answer.' })
  orders(@Parent() device: Device, @Args() args: ConnectionArgs, @Context() context: RequestContext) {
    return this.orderService.ordersOfDevice(context, device.id, args);
  }

  @ResolveField(() => Order, { nullable: true, description: 'The most recent order for the device; null when there is none.' })
  latestOrder(@Parent() device: Device, @Context() context: RequestContext) {
    return this.orderService.latestOfDevice(context, device.id);
  }

  /** Any well-formed id is a device here: the devices subgraph owns existence. */
  @ResolveReference()
  resolveReference(@Parent() reference: { id: unknown }): Device | null {
    return isId(reference.id) ? { id: reference.id.toLowerCase() } : null;
  }
}
