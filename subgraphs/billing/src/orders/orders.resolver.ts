import { type RequestContext, ConnectionArgs, isId, parseId } from '@cloudphone/subgraph-kit';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { Device } from '../devices/models/device.model.js';
import { Plan } from '../plans/models/plan.model.js';
import { User } from '../users/models/user.model.js';
import { CreateOrderInput } from './models/order.inputs.js';
import { Order, OrderConnection, OrderCopies, OrderFilter, OrderOrder } from './models/order.model.js';
import { OrdersService } from './orders.service.js';
import { Payment } from '../payments/models/payment.model.js';
import { PaymentsService } from '../payments/payments.service.js';

@Resolver(() => Order)
export class OrdersResolver {
  constructor(
    private readonly orderService: OrdersService,
    private readonly paymentService: PaymentsService,
  ) {}

  @Query(() => OrderConnection, { description: 'Orders, filtered and sorted (newest first by default).' })
  orders(
    @Args() args: ConnectionArgs,
    @Context() context: RequestContext,
    @Args('filter', { type: () => OrderFilter, nullable: true, description: 'Only orders matching every given field.' }) filter?: OrderFilter | null,
    @Args('orderBy', { type: () => OrderOrder, nullable: true, description: 'Sort order (default: CREATED_AT DESC).' }) orderBy?: OrderOrder | null,
  ) {
    return this.orderService.list(context, args, filter, orderBy);
  }

  @Query(() => Order, { nullable: true, description: 'One order by id; null when there is none.' })
  order(@Args('id', { type: () => ID, description: 'Id of the order.' }) id: string, @Context() context: RequestContext) {
    return this.orderService.byId(context, parseId(id));
  }

  @Mutation(() => Order, { description: 'Places a PENDING order of an active plan; it must be paid within 15 minutes.' })
  createOrder(@Args('input', { description: 'The new order.' }) input: CreateOrderInput, @Context() context: RequestContext) {
    return this.orderService.create(context, input);
  }

  @Mutation(() => Order, { description: 'Cancels a PENDING order.' })
  cancelOrder(@Args('id', { type: () => ID, description: 'Id of the order.' }) id: string, @Context() context: RequestContext) {
    return this.orderService.cancel(context, parseId(id));
  }

  @ResolveField(() => User)
  user(@Parent() order: Order): User {
    return { id: order.userId };
  }

  @ResolveField(() => Device, { nullable: true })
  device(@Parent() order: Order): Device | null {
    return order.deviceId === null ? null : { id: order.deviceId };
  }

  /** The user copies pass the user field rules (e-mail masked for an ADMIN on others' orders). */
  @ResolveField(() => OrderCopies)
  copies(@Parent() order: Order, @Context() context: RequestContext): OrderCopies {
    return this.orderService.copiesOf(context, order);
  }

  @ResolveField(() => [Payment], { description: 'Payments made for the order, oldest first.' })
  payments(@Parent() order: Order, @Context() context: RequestContext) {
    return this.paymentService.ofOrder(context, order.id);
  }

  @ResolveField(() => Plan)
  plan(@Parent() order: Order, @Context() context: RequestContext) {
    return this.orderService.planOf(context, order);
  }

  @ResolveReference()
  resolveReference(@Parent() reference: { id: unknown }, @Context() context: RequestContext) {
    return isId(reference.id) ? this.orderService.byId(context, reference.id.toLowerCase()) : null;
  }
}
