import { type RequestContext, isId, parseId } from '@cloudphone/subgraph-kit';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { ApplicationsService } from '../applications/applications.service.js';
import { Application } from '../applications/models/application.model.js';
import { Device } from '../devices/models/device.model.js';
import { InstallsService } from './installs.service.js';
import { DeviceApplication } from './models/device-application.model.js';
import { InstallApplicationInput, UninstallApplicationInput } from './models/install.inputs.js';

@Resolver(() => DeviceApplication)
export class InstallsResolver {
  constructor(
    private readonly installService: InstallsService,
    private readonly applicationService: ApplicationsService,
  ) {}

  @Query(() => DeviceApplication, { nullable: true, description: 'One install by id; null when there is none.' })
  deviceApplication(@Args('id', { type: () => ID, description: 'Id of the install.' }) id: string, @Context() context: RequestContext) {
    return this.installService.byId(context, parseId(id));
  }

  @Mutation(() => DeviceApplication, { description: 'Requests an install of an AVAILABLE application on a RUNNING device (PENDING).' })
  installApplication(@Args('input', { description: 'The device and the application.' }) input: InstallApplicationInput, @Context() context: RequestContext) {
    return this.installService.install(context, input);
  }

  @Mutation(() => DeviceApplication, { description: 'Starts removing an INSTALLED application from a device (UNINSTALLING).' })
  uninstallApplication(@Args('input', { description: 'The device and the application.' }) input: UninstallApplicationInput, @Context() context: RequestContext) {
    return this.installService.uninstall(context, input);
  }

  /** What an install one may read has installed is part of it: no separate application:read check. */
  @ResolveField(() => Application)
  application(@Parent() install: DeviceApplication, @Context() context: RequestContext) {
    return this.applicationService.find(context, install.applicationId);
  }

  @ResolveField(() => Device)
  device(@Parent() install: DeviceApplication): Device {
    return { id: install.deviceId };
  }

  @ResolveReference()
  resolveReference(@Parent() reference: { id: unknown }, @Context() context: RequestContext) {
    return isId(reference.id) ? this.installService.byId(context, reference.id.toLowerCase()) : null;
  }
}
