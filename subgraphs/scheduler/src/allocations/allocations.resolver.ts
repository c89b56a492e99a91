import { type RequestContext, isId, parseId } from '@cloudphone/subgraph-kit';
import { Args, Context, Directive, ID, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { Device } from '../devices/models/device.model.js';
import { Node } from '../nodes/models/node.model.js';
import { AllocationsService } from './allocations.service.js';
import { Allocation, ReserveAllocationInput } from './models/allocation.model.js';

@Resolver(() => Allocation)
export class AllocationsResolver {
  constructor(private readonly allocationService: AllocationsService) {}

  @Query(() => Allocation, { nullable: true, description: 'One allocation by id; null when there is none.' })
  allocation(@Args('id', { type: () => ID }) id: string, @Context() context: RequestContext) {
    return this.allocationService.byId(context, parseId(id));
  }

  // Service to service: the devices subgraph places a device before creating it. Not part of the public API.
  @Mutation(() => Allocation, { description: 'Takes capacity for a device about to be created; INSUFFICIENT_CAPACITY when no node fits.' })
  @Directive('@inaccessible')
  reserveAllocation(@Args('input') input: ReserveAllocationInput, @Context() context: RequestContext) {
    return this.allocationService.reserve(context, input);
  }

  @Mutation(() => Allocation, { nullable: true, description: "Gives back a device's capacity when its creation failed; null when it held none." })
  @Directive('@inaccessible')
  releaseAllocation(@Args('deviceId', { type: () => ID }) deviceId: string, @Context() context: RequestContext) {
    return this.allocationService.release(context, parseId(deviceId, 'deviceId'), 'device creation failed');
  }

  @ResolveField(() => Device, { description: 'The device the capacity is for.' })
  device(@Parent() allocation: Allocation): Device {
    return { id: allocation.deviceId };
  }

  @ResolveField(() => Node, { description: 'The node the capacity is on.' })
  node(@Parent() allocation: Allocation): Node {
    return { id: allocation.nodeId };
  }

  @ResolveReference()
  resolveReference(@Parent() reference: { id: unknown }, @Context() context: RequestContext) {
    return isId(reference.id) ? this.allocationService.byId(context, reference.id.toLowerCase()) : null;
  }
}
