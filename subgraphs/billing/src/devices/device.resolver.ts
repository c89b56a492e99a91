import { type RequestContext, ConnectionArgs, isId } from '@cloudphone/subgraph-kit';
import { Args, Context, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { UsageRecordConnection, UsageTotal } from '../metering/models/usage-record.model.js';
import { UsageService } from '../metering/usage.service.js';
import { Order, OrderConnection } from '../orders/models/order.model.js';
import { OrdersService } from '../orders/orders.service.js';
import { Device } from './models/device.model.js';

/** Billing's fields on the devices subgraph's Device. */
@Resolver(() => Device)
export class DeviceResolver {
  constructor(
    private readonly orderService: OrdersService,
    private readonly usageService: UsageService,
  ) {}

  @ResolveField(() => OrderConnection, { nullable: true, description: 'Orders placed for the device, newest first; null when billing cannot answer.' })
  orders(@Parent() device: Device, @Args() args: ConnectionArgs, @Context() context: RequestContext) {
    return this.orderService.ordersOfDevice(context, device.id, args);
  }

  @ResolveField(() => Order, { nullable: true, description: 'The most recent order for the device; null when there is none.' })
  latestOrder(@Parent() device: Device, @Context() context: RequestContext) {
    return this.orderService.latestOfDevice(context, device.id);
  }

  @ResolveField(() => UsageRecordConnection, { nullable: true, description: "The device's usage records (running time and its cost), newest first; needs payment:read on the owner; null when billing cannot answer." })
  usage(@Parent() device: Device, @Args() args: ConnectionArgs, @Context() context: RequestContext) {
    return this.usageService.usageOfDevice(context, device.id, args);
  }

  @ResolveField(() => [UsageTotal], { nullable: true, description: "The device's closed usage added up, one entry per currency (empty when none or out of the payment scope); null when billing cannot answer." })
  usageTotals(@Parent() device: Device, @Context() context: RequestContext) {
    return this.usageService.totalsOfDevice(context, device.id);
  }

  /** Any well-formed id is a device here: the devices subgraph owns existence. */
  @ResolveReference()
  resolveReference(@Parent() reference: { id: unknown }): Device | null {
    return isId(reference.id) ? { id: reference.id.toLowerCase() } : null;
  }
}
