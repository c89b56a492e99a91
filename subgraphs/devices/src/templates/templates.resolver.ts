import { type RequestContext, ConnectionArgs, isId, parseId } from '@cloudphone/subgraph-kit';
import { Args, Context, ID, Mutation, Parent, Query, ResolveReference, Resolver } from '@nestjs/graphql';
import { CreateDeviceTemplateInput, DeviceTemplate, DeviceTemplateConnection } from './models/device-template.model.js';
import { TemplatesService } from './templates.service.js';

@Resolver(() => DeviceTemplate)
export class TemplatesResolver {
  constructor(private readonly templateService: TemplatesService) {}

  @Query(() => DeviceTemplateConnection, { description: 'Device templates, oldest first.' })
  deviceTemplates(@Args() args: ConnectionArgs, @Context() context: RequestContext) {
    return this.templateService.list(context, args);
  }

  @Query(() => DeviceTemplate, { nullable: true, description: 'One template by id; null when there is none.' })
  deviceTemplate(@Args('id', { type: () => ID }) id: string, @Context() context: RequestContext) {
    return this.templateService.byId(context, parseId(id));
  }

  @Mutation(() => DeviceTemplate, { description: 'Creates a device template.' })
  createDeviceTemplate(@Args('input') input: CreateDeviceTemplateInput, @Context() context: RequestContext) {
    return this.templateService.create(context, input);
  }

  @ResolveReference()
  resolveReference(@Parent() reference: { id: unknown }, @Context() context: RequestContext) {
    return isId(reference.id) ? this.templateService.byId(context, reference.id.toLowerCase()) : null;
  }
}
