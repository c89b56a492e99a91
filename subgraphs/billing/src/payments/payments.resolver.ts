import type { RequestContext } from '@cloudphone/subgraph-kit';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { RechargeBalanceInput } from './models/payment.inputs.js';
import { Payment } from './models/payment.model.js';
import { PaymentsService } from './payments.service.js';

@Resolver(() => Payment)
export class PaymentsResolver {
  constructor(private readonly payments: PaymentsService) {}

  @Mutation(() => Payment, {
    description: 'Buys balance credit through the payment provider; the balance is credited when the provider confirms. Repeating it with the same idempotencyKey returns the first payment.',
  })
  rechargeBalance(@Args('input', { description: 'The recharge.' }) input: RechargeBalanceInput, @Context() context: RequestContext) {
    return this.payments.recharge(context, input);
  }
}
