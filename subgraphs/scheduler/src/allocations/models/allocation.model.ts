import { LABEL_KEY_MESSAGE, LABEL_KEY_PATTERN } from '@cloudphone/subgraph-kit';
import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsEnum, IsInt, IsOptional, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';

export enum AllocationStatus {
  ALLOCATED = 'ALLOCATED',
  RELEASED = 'RELEASED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(AllocationStatus, {
  name: 'AllocationStatus',
  description: 'ALLOCATED holds capacity on a node; RELEASED (the device was deleted) and EXPIRED (no device appeared for the reservation) hold none.',
});

export enum PlacementStrategy {
  LEAST_LOADED = 'LEAST_LOADED',
  BINPACK = 'BINPACK',
  SPREAD = 'SPREAD',
  ROUND_ROBIN = 'ROUND_ROBIN',
  WEIGHTED = 'WEIGHTED',
}
registerEnumType(PlacementStrategy, {
  name: 'PlacementStrategy',
  description: 'How the scheduler picks a node among those that fit.',
  valuesMap: {
    LEAST_LOADED: { description: 'The node with the fewest devices.' },
    BINPACK: { description: 'The fullest node that still fits, keeping others empty.' },
    SPREAD: { description: "Away from the nodes and zones holding the owner's other devices." },
    ROUND_ROBIN: { description: 'Each node in turn.' },
    WEIGHTED: { description: 'The lowest load score: 0.3 cpu% + 0.3 memory% + 0.4 device-slot%.' },
  },
});

@ObjectType({ description: 'Resources an allocation holds on its node.' })
export class ReservedResources {
  @Field(() => Int, { description: 'CPU cores.' })
  cpuCores: number;

  @Field(() => Int, { description: 'Memory in MiB.' })
  memoryMb: number;

  @Field(() => Int, { description: 'Storage in GiB.' })
  storageGb: number;
}

@ObjectType({ description: "A device's claim on a node's capacity." })
@Directive('@key(fields: "id")')
export class Allocation {
  @Field(() => ID, { description: 'Unique allocation id.' })
  id: string;

  deviceId: string;
  nodeId: string;
  userId: string;
  tenantId: string;

  @Field(() => PlacementStrategy, { description: 'The strategy that chose the node.' })
  strategy: PlacementStrategy;

  @Field(() => ReservedResources, { description: 'What the allocation holds on the node.' })
  resources: ReservedResources;

  @Field(() => AllocationStatus, { description: 'Whether it still holds capacity.' })
  status: AllocationStatus;

  @Field({ description: 'When the capacity was taken.' })
  allocatedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the device was seen to exist; until then the reservation can expire.' })
  confirmedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the capacity was given back.' })
  releasedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was given back.' })
  releaseReason: string | null;
}

@InputType({ description: 'A label the chosen node must carry (service to service).' })
@Directive('@inaccessible')
export class PlacementLabelInput {
  @Field({ description: 'Label key.' })
  @Matches(LABEL_KEY_PATTERN, { message: LABEL_KEY_MESSAGE })
  key: string;

  @Field({ description: 'Label value.' })
  @Length(0, 63)
  value: string;
}

@InputType({ description: 'Capacity for one device, asked by the devices subgraph before it creates the device (service to service).' })
@Directive('@inaccessible')
export class ReserveAllocationInput {
  @Field(() => ID, { description: 'The device to be created; a retry with the same id returns the same allocation.' })
  @IsUUID('all', { message: 'deviceId must be a valid ID' })
  deviceId: string;

  @Field(() => ID, { description: 'Owner.' })
  @IsUUID('all', { message: 'userId must be a valid ID' })
  userId: string;

  @Field(() => ID, { description: "Owner's tenant." })
  @IsUUID('all', { message: 'tenantId must be a valid ID' })
  tenantId: string;

  @Field(() => Int, { description: 'CPU cores.' })
  @IsInt()
  @Min(1)
  @Max(1024)
  cpuCores: number;

  @Field(() => Int, { description: 'Memory in MiB.' })
  @IsInt()
  @Min(1)
  @Max(16_777_216)
  memoryMb: number;

  @Field(() => Int, { description: 'Storage in GiB.' })
  @IsInt()
  @Min(1)
  @Max(1_048_576)
  storageGb: number;

  @Field(() => PlacementStrategy, { nullable: true, description: "Strategy; the scheduler's default when omitted." })
  @IsOptional()
  @IsEnum(PlacementStrategy)
  strategy?: PlacementStrategy | null;

  @Field(() => [PlacementLabelInput], { nullable: true, description: 'Labels the node must carry.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PlacementLabelInput)
  labels?: PlacementLabelInput[] | null;

  @Field(() => String, { nullable: true, description: 'Only nodes in this region.' })
  @IsOptional()
  @Length(1, 50)
  region?: string | null;

  @Field(() => String, { nullable: true, description: 'Only nodes in this zone.' })
  @IsOptional()
  @Length(1, 50)
  zone?: string | null;
}
