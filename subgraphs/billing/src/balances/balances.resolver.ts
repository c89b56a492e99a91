import { ConnectionArgs, type RequestContext } from '@cloudphone/subgraph-kit';
import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { BalancesService } from './balances.service.js';
import { AdjustBalanceInput, Balance, BalanceTransaction, BalanceTransactionConnection } from './models/balance.model.js';

@Resolver(() => Balance)
export class BalancesResolver {
  constructor(private readonly balances: BalancesService) {}

  @ResolveField(() => BalanceTransactionConnection, { description: 'The movements that make up the balance, newest first.' })
  transactions(@Parent() balance: Balance, @Args() args: ConnectionArgs) {
    return this.balances.transactionsOf(balance, args);
  }

  @Mutation(() => BalanceTransaction, { description: "Corrects a user's balance (payment:write); refused with INSUFFICIENT_BALANCE rather than going below zero." })
  adjustBalance(@Args('input', { description: 'The correction.' }) input: AdjustBalanceInput, @Context() context: RequestContext) {
    return this.balances.adjust(context, input);
  }
}
