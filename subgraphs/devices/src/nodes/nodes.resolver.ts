import { type RequestContext, ConnectionArgs, isId, parseId } from '@cloudphone/subgraph-kit';
import { Args, Context, ID, Mutation, Parent, Query, ResolveReference, Resolver } from '@nestjs/graphql';
import { CreateNodeInput, Node, NodeConnection, NodeFilter, UpdateNodeInput } from './models/node.model.js';
import { NodesService } from './nodes.service.js';

@Resolver(() => Node)
export class NodesResolver {
  constructor(private readonly nodeService: NodesService) {}

  @Query(() => NodeConnection, { description: 'Hosts that run devices, oldest first.' })
  nodes(@Args() args: ConnectionArgs, @Args('filter', { type: () => NodeFilter, nullable: true }) filter: NodeFilter | null | undefined, @Context() context: RequestContext) {
    return this.nodeService.list(context, args, filter);
  }

  @Query(() => Node, { nullable: true, description: 'One host by id; null when there is none.' })
  node(@Args('id', { type: () => ID }) id: string, @Context() context: RequestContext) {
    return this.nodeService.byId(context, parseId(id));
  }

  @Mutation(() => Node, { description: 'Registers a host.' })
  createNode(@Args('input') input: CreateNodeInput, @Context() context: RequestContext) {
    return this.nodeService.create(context, input);
  }

  @Mutation(() => Node, { description: 'Changes a host.' })
  updateNode(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateNodeInput, @Context() context: RequestContext) {
    return this.nodeService.update(context, parseId(id), input);
  }

  @Mutation(() => Node, { description: "A host's agent calling in; a node silent for 3 minutes goes OFFLINE, and comes back ONLINE on its next heartbeat." })
  recordNodeHeartbeat(@Args('id', { type: () => ID, description: 'Id of the node.' }) id: string, @Context() context: RequestContext) {
    return this.nodeService.heartbeat(context, parseId(id));
  }

  @ResolveReference()
  resolveReference(@Parent() reference: { id: unknown }, @Context() context: RequestContext) {
    return isId(reference.id) ? this.nodeService.byId(context, reference.id.toLowerCase()) : null;
  }
}
