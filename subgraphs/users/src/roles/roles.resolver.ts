import { type RequestContext, parseId } from '@cloudphone/subgraph-kit';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { User } from '../users/models/user.model.js';
import { Role } from './models/role.model.js';
import { RolesService } from './roles.service.js';

@Resolver(() => User)
export class RolesResolver {
  constructor(private readonly service: RolesService) {}

  @Query(() => [Role], { description: 'The roles there are (needs role:read).' })
  roles(@Context() context: RequestContext) {
    return this.service.list(context);
  }

  @ResolveField('roles', () => [String], { description: "The names of the user's roles." })
  userRoles(@Parent() user: User, @Context() context: RequestContext) {
    return this.service.rolesOf(context, user.id);
  }

  @Mutation(() => User, { description: 'Gives a user a role that grants nothing beyond the caller\'s own access; effective in its next access token.' })
  grantRole(@Args('userId', { type: () => ID }) userId: string, @Args('role') role: string, @Context() context: RequestContext) {
    return this.service.grant(context, parseId(userId), role);
  }

  @Mutation(() => User, { description: 'Takes a role back from a user; effective in its next access token.' })
  revokeRole(@Args('userId', { type: () => ID }) userId: string, @Args('role') role: string, @Context() context: RequestContext) {
    return this.service.revoke(context, parseId(userId), role);
  }
}
