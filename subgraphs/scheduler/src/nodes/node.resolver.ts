import { type RequestContext, isId } from '@cloudphone/subgraph-kit';
import { Context, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { Node, NodeResources } from './models/node.model.js';
import { NodeResourcesService } from './node-resources.service.js';

@Resolver(() => Node)
export class NodeResolver {
  constructor(private readonly nodeResources: NodeResourcesService) {}

  @ResolveField(() => NodeResources, { nullable: true, description: 'Capacity, what allocations hold and the load score; null until the scheduler has heard of the node or when it cannot answer.' })
  resources(@Parent() node: Node, @Context() context: RequestContext) {
    return this.nodeResources.forNode(context, node.id);
  }

  @ResolveReference()
  resolveReference(@Parent() reference: { id: unknown }): Node | null {
    return isId(reference.id) ? { id: reference.id.toLowerCase() } : null;
  }
}
