import { type RequestContext, ConnectionArgs, isId, parseId } from '@cloudphone/subgraph-kit';
import { Args, Context, ID, Mutation, Parent, Query, ResolveReference, Resolver } from '@nestjs/graphql';
import { CreateTenantInput, UpdateTenantInput } from './models/tenant.inputs.js';
import { Tenant, TenantConnection } from './models/tenant.model.js';
import { TenantsService } from './tenants.service.js';

@Resolver(() => Tenant)
export class TenantsResolver {
  constructor(private readonly tenantService: TenantsService) {}

  @Query(() => TenantConnection, { description: 'All tenants, oldest first.' })
  tenants(@Args() args: ConnectionArgs, @Context() context: RequestContext) {
    return this.tenantService.list(context, args);
  }

  @Query(() => Tenant, { nullable: true, description: 'One tenant by id; null when there is none.' })
  tenant(@Args('id', { type: () => ID }) id: string, @Context() context: RequestContext) {
    return this.tenantService.visibleById(context, parseId(id));
  }

  @Mutation(() => Tenant, { description: 'Creates a tenant.' })
  createTenant(@Args('input') input: CreateTenantInput, @Context() context: RequestContext) {
    return this.tenantService.create(context, input);
  }

  @Mutation(() => Tenant, { description: 'Changes a tenant.' })
  updateTenant(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateTenantInput, @Context() context: RequestContext) {
    return this.tenantService.update(context, parseId(id), input);
  }

  @ResolveReference()
  resolveReference(@Parent() reference: { id: unknown }, @Context() context: RequestContext) {
    return isId(reference.id) ? this.tenantService.visibleById(context, reference.id.toLowerCase()) : null;
  }
}
