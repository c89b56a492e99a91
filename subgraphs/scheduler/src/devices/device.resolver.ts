import { type RequestContext, isId } from '@cloudphone/subgraph-kit';
import { Context, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { AllocationsService } from '../allocations/allocations.service.js';
import { Allocation } from '../allocations/models/allocation.model.js';
import { Device } from './models/device.model.js';

@Resolver(() => Device)
export class DeviceResolver {
  constructor(private readonly allocations: AllocationsService) {}

  @ResolveField(() => Allocation, { nullable: true, description: "The device's most recent claim on a node (live or ended); null when it has none or the scheduler cannot answer." })
  allocation(@Parent() device: Device, @Context() context: RequestContext) {
    return this.allocations.latestForDevice(context, device.id);
  }

  @ResolveReference()
  resolveReference(@Parent() reference: { id: unknown }): Device | null {
    return isId(reference.id) ? { id: reference.id.toLowerCase() } : null;
  }
}
