import { type RequestContext, parseId } from '@cloudphone/subgraph-kit';
import { Args, Context, Directive, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { User } from '../users/models/user.model.js';
import { SetUserQuotaInput } from './models/quota.inputs.js';
import { Quota } from './models/quota.model.js';
import { QuotasService } from './quotas.service.js';

@Resolver(() => User)
export class QuotasResolver {
  constructor(private readonly service: QuotasService) {}

  @ResolveField('quota', () => Quota, { nullable: true, description: "The user's limits on devices (its usage is `quotaUsage`); null only for a user without a quota." })
  quota(@Parent() user: User, @Context() context: RequestContext) {
    return this.service.of(context, user.id);
  }

  @Mutation(() => User, { description: "Changes a user's quota (needs quota:write over the user: a SUPER_ADMIN, or an ADMIN of the user's tenant); audited." })
  setUserQuota(
    @Args('userId', { type: () => ID, description: 'The user whose quota changes.' }) userId: string,
    @Args('input', { description: 'The limits to change.' }) input: SetUserQuotaInput,
    @Context() context: RequestContext,
  ) {
    return this.service.set(context, parseId(userId, 'userId'), input);
  }

  // Service to service: the devices subgraph checks a create or start against it. Not part of the public API.
  @Query(() => Quota, { nullable: true, description: "A user's quota, for the devices subgraph's checks; null when the user has none." })
  @Directive('@inaccessible')
  quotaOf(@Args('userId', { type: () => ID, description: 'The user.' }) userId: string, @Context() context: RequestContext) {
    return this.service.forService(context, parseId(userId, 'userId'));
  }
}
