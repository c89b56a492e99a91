import { type RequestContext, ConnectionArgs } from '@cloudphone/subgraph-kit';
import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { DeviceConnection, DeviceStatus } from '../devices/models/device.model.js';
import { DevicesService } from '../devices/devices.service.js';
import { QuotaUsage } from '../quotas/models/quota-usage.model.js';
import { User } from './models/user.model.js';

@Resolver(() => User)
export class UserResolver {
  constructor(private readonly deviceService: DevicesService) {}

  @ResolveField(() => DeviceConnection, { nullable: true, description: "The user's devices, oldest first; null when devices cannot answer." })
  devices(
    @Parent() user: User,
    @Args() args: ConnectionArgs,
    @Args('status', { type: () => DeviceStatus, nullable: true, description: 'Only devices in this state.' }) status: DeviceStatus | null,
    @Context() context: RequestContext,
  ) {
    return this.deviceService.ofOwner(context, user.id, args, status);
  }

  @ResolveField(() => QuotaUsage, { nullable: true, description: "What the user's devices hold against its quota, counted like `devices` (only devices the caller may read); null when devices cannot answer." })
  quotaUsage(@Parent() user: User, @Context() context: RequestContext) {
    return this.deviceService.usageOf(context, user.id);
  }
}
