import type { RequestContext } from '@cloudphone/subgraph-kit';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { Order } from '../orders/models/order.model.js';
import { PurchasePlanInput } from './models/purchase.inputs.js';
import { PurchasesService } from './purchases.service.js';

@Resolver()
export class PurchasesResolver {
  constructor(private readonly purchases: PurchasesService) {}

  @Mutation(() => Order, {
    description:
      'Buys a plan: returns the PENDING order at once; it becomes PAID with a RUNNING device, or FAILED (payment refused) or CANCELLED (undone, money refunded). Follow it with `order(id)` and the device with `deviceStatusChanged`.',
  })
  purchasePlan(@Args('input', { description: 'The purchase.' }) input: PurchasePlanInput, @Context() context: RequestContext) {
    return this.purchases.purchase(context, input);
  }
}
