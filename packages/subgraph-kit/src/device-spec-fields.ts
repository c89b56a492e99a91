import { Field, InputType, Int } from '@nestjs/graphql';
import { IsInt, Max, Min } from 'class-validator';

/**
 * The resources of one cloud phone as an input, with the platform's limits:
 * devices (a new device, a template) and billing (a price per spec) take the
 * same spec, so each subgraph's input type extends this one set of rules.
 */
@InputType({ isAbstract: true })
export abstract class DeviceSpecFields {
  @Field(() => Int, { description: 'Virtual CPU cores, 1 to 64.' })
  @IsInt()
  @Min(1)
  @Max(64)
  cpuCores: number;

  @Field(() => Int, { description: 'Memory in MiB, 512 to 262144.' })
  @IsInt()
  @Min(512)
  @Max(262_144)
  memoryMb: number;

  @Field(() => Int, { description: 'Storage in GiB, 1 to 4096.' })
  @IsInt()
  @Min(1)
  @Max(4096)
  storageGb: number;
}
