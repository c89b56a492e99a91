import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum QuotaStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
}
registerEnumType(QuotaStatus, {
  name: 'QuotaStatus',
  description: 'Whether a quota lets its user create and start devices at all.',
  valuesMap: {
    ACTIVE: { description: 'Devices may be created and started within the limits.' },
    SUSPENDED: { description: 'No device may be created or started (QUOTA_EXCEEDED); existing devices stay as they are.' },
  },
});

@ObjectType({
  description:
    "What a user may hold, checked by the devices subgraph when a device is created or started (QUOTA_EXCEEDED names the limit). The usage is `User.quotaUsage`; a limit is reached when the usage equals it.",
})
export class Quota {
  @Field(() => Int, { description: 'Most devices the user may hold (every status but DELETED).' })
  maxDevices: number;

  @Field(() => Int, { description: 'Most devices CREATING, RUNNING or in ERROR at once (a STOPPED device does not count).' })
  maxRunningDevices: number;

  @Field(() => Int, { description: "Most cpu cores of all the user's devices together." })
  maxCpuCores: number;

  @Field(() => Int, { description: "Most memory, in MiB, of all the user's devices together." })
  maxMemoryMb: number;

  @Field(() => Int, { description: "Most storage, in GiB, of all the user's devices together." })
  maxStorageGb: number;

  @Field(() => QuotaStatus, { description: 'ACTIVE, or SUSPENDED: nothing may be created or started.' })
  status: QuotaStatus;

  @Field(() => Int, { description: 'Increases on every change of the quota.' })
  version: number;

  @Field({ description: 'When the quota last changed.' })
  updatedAt: Date;
}
