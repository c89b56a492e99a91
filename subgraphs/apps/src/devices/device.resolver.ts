import { type RequestContext, isId } from '@cloudphone/subgraph-kit';
import { Context, Int, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { InstallsService } from '../installs/installs.service.js';
import { DeviceApplication } from '../installs/models/device-application.model.js';
import { Device } from './models/device.model.js';

@Resolver(() => Device)
export class DeviceResolver {
  constructor(private readonly installService: InstallsService) {}

  @ResolveField(() => [DeviceApplication], { description: 'Applications on the device: every install not UNINSTALLED, oldest request first.' })
  applications(@Parent() device: Device, @Context() context: RequestContext) {
    return this.installService.currentForDevice(context, device.id);
  }

  @ResolveField(() => Int, { nullable: true, description: 'How many applications are INSTALLED on the device; null when apps cannot answer.' })
  installedApplicationCount(@Parent() device: Device, @Context() context: RequestContext) {
    return this.installService.installedCount(context, device.id);
  }

  @ResolveReference()
  resolveReference(@Parent() reference: { id: unknown }): Device | null {
    return isId(reference.id) ? { id: reference.id.toLowerCase() } : null;
  }
}
