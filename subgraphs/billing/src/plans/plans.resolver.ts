import { type RequestContext, ConnectionArgs, isId, parseId } from '@cloudphone/subgraph-kit';
import { Args, Context, ID, Mutation, Parent, Query, ResolveReference, Resolver } from '@nestjs/graphql';
import { CreatePlanInput } from './models/plan.inputs.js';
import { Plan, PlanConnection } from './models/plan.model.js';
import { PlansService } from './plans.service.js';

@Resolver(() => Plan)
export class PlansResolver {
  constructor(private readonly planService: PlansService) {}

  @Query(() => PlanConnection, { description: 'All plans, active or not, oldest first.' })
  plans(@Args() args: ConnectionArgs, @Context() context: RequestContext) {
    return this.planService.list(context, args);
  }

  @Query(() => Plan, { nullable: true, description: 'One plan by id; null when there is none.' })
  plan(@Args('id', { type: () => ID, description: 'Id of the plan.' }) id: string, @Context() context: RequestContext) {
    return this.planService.byId(context, parseId(id));
  }

  @Mutation(() => Plan, { description: 'Creates a plan (active).' })
  createPlan(@Args('input', { description: 'The new plan.' }) input: CreatePlanInput, @Context() context: RequestContext) {
    return this.planService.create(context, input);
  }

  @Mutation(() => Plan, { description: 'Offers a plan again or withdraws it; existing orders keep their plan.' })
  setPlanActive(
    @Args('id', { type: () => ID, description: 'Id of the plan.' }) id: string,
    @Args('active', { description: 'True to offer the plan, false to withdraw it.' }) active: boolean,
    @Context() context: RequestContext,
  ) {
    return this.planService.setActive(context, parseId(id), active);
  }

  @ResolveReference()
  resolveReference(@Parent() reference: { id: unknown }, @Context() context: RequestContext) {
    return isId(reference.id) ? this.planService.byId(context, reference.id.toLowerCase()) : null;
  }
}
