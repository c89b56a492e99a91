import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: "What a user's devices hold against its quota (`User.quota` has the limits); DELETED devices hold nothing." })
export class QuotaUsage {
  @Field(() => Int, { description: 'Devices held (every status but DELETED); bounded by maxDevices.' })
  devices: number;

  @Field(() => Int, { description: 'Devices CREATING, RUNNING or in ERROR; bounded by maxRunningDevices.' })
  runningDevices: number;

  @Field(() => Int, { description: 'Cpu cores of the devices held; bounded by maxCpuCores.' })
  cpuCores: number;

  @Field(() => Int, { description: 'Memory, in MiB, of the devices held; bounded by maxMemoryMb.' })
  memoryMb: number;

  @Field(() => Int, { description: 'Storage, in GiB, of the devices held; bounded by maxStorageGb.' })
  storageGb: number;
}
