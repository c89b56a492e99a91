import { type RequestContext, ConnectionArgs, isId, parseId } from '@cloudphone/subgraph-kit';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { Tenant } from '../tenants/models/tenant.model.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { CreateUserInput, UpdateUserInput } from './models/user.inputs.js';
import { User, UserConnection, UserFilter, UserOrder } from './models/user.model.js';
import { UsersService } from './users.service.js';

@Resolver(() => User)
export class UsersResolver {
  constructor(
    private readonly userService: UsersService,
    private readonly tenantService: TenantsService,
  ) {}

  @Query(() => UserConnection, { description: 'Users, filtered and sorted (oldest first by default).' })
  users(
    @Context() context: RequestContext,
    @Args() args: ConnectionArgs,
    @Args('filter', { type: () => UserFilter, nullable: true }) filter?: UserFilter | null,
    @Args('orderBy', { type: () => UserOrder, nullable: true }) orderBy?: UserOrder | null,
  ) {
    return this.userService.list(context, args, filter, orderBy);
  }

  @Query(() => User, { nullable: true, description: 'The signed-in user; null for a call made as a service.' })
  me(@Context() context: RequestContext) {
    const { userId } = context.principal;
    return userId ? this.userService.byId(context, userId) : null;
  }

  @Query(() => User, { nullable: true, description: 'One user by id; null when there is none.' })
  user(@Args('id', { type: () => ID }) id: string, @Context() context: RequestContext) {
    return this.userService.visibleById(context, parseId(id));
  }

  @Mutation(() => User, { description: 'Creates a user in a tenant that has room for one.' })
  createUser(@Args('input') input: CreateUserInput, @Context() context: RequestContext) {
    return this.userService.createAs(context, input);
  }

  @Mutation(() => User, { description: 'Changes a user.' })
  updateUser(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateUserInput, @Context() context: RequestContext) {
    return this.userService.update(context, parseId(id), input);
  }

  @ResolveField(() => Tenant)
  tenant(@Parent() user: User, @Context() context: RequestContext) {
    return this.tenantService.byId(context, user.tenantId);
  }

  @ResolveField(() => String)
  email(@Parent() user: User, @Context() context: RequestContext) {
    return this.userService.emailOf(context, user);
  }

  @ResolveReference()
  resolveReference(@Parent() reference: { id: unknown }, @Context() context: RequestContext) {
    return isId(reference.id) ? this.userService.visibleById(context, reference.id.toLowerCase()) : null;
  }
}
