import { type RequestContext, ConnectionArgs } from '@cloudphone/subgraph-kit';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { BillingRule, BillingRuleConnection, DeviceProvider, SetBillingRuleInput } from './models/billing-rule.model.js';
import { BillingRulesService } from './billing-rules.service.js';

@Resolver(() => BillingRule)
export class BillingRulesResolver {
  constructor(private readonly rules: BillingRulesService) {}

  @Query(() => BillingRuleConnection, { description: 'The hourly prices of running cloud phones (the public price list), oldest rule first.' })
  billingRules(
    @Args() args: ConnectionArgs,
    @Context() context: RequestContext,
    @Args('provider', { type: () => DeviceProvider, nullable: true, description: 'Only the rules of this provider.' }) provider?: DeviceProvider | null,
  ) {
    return this.rules.list(context, args, provider ?? undefined);
  }

  @Mutation(() => BillingRule, { description: "Sets the hourly price of a provider and spec, or the provider's default price; needs plan:write." })
  setBillingRule(@Args('input', { description: 'The provider, spec and price.' }) input: SetBillingRuleInput, @Context() context: RequestContext) {
    return this.rules.set(context, input);
  }
}
