import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Device } from '../devices/models/device.model.js';
import { User } from '../users/models/user.model.js';
import { UsageRecord } from './models/usage-record.model.js';

@Resolver(() => UsageRecord)
export class UsageRecordResolver {
  @ResolveField(() => Device)
  device(@Parent() record: UsageRecord): Device {
    return { id: record.deviceId };
  }

  @ResolveField(() => User)
  user(@Parent() record: UsageRecord): User {
    return { id: record.userId };
  }
}
