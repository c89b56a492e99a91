import { LABEL_KEY_MESSAGE, LABEL_KEY_PATTERN } from '@cloudphone/subgraph-kit';
import { Connection } from '@cloudphone/subgraph-kit';
import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsEnum, IsInt, IsOptional, Length, Matches, Max, Min, ValidateNested } from 'class-validator';

export enum NodeStatus {
  ONLINE = 'ONLINE',
  OFFLINE = 'OFFLINE',
  MAINTENANCE = 'MAINTENANCE',
  DRAINING = 'DRAINING',
}
registerEnumType(NodeStatus, { name: 'NodeStatus', description: 'Whether a host accepts and runs devices.' });

@ObjectType({ description: 'A key/value label used to place devices.' })
export class NodeLabel {
  @Field({ description: 'Label key.' })
  key: string;

  @Field({ description: 'Label value.' })
  value: string;
}

@ObjectType({ description: 'Amounts of host resources.' })
export class NodeResourceAmounts {
  @Field(() => Int, { description: 'CPU cores.' })
  cpuCores: number;

  @Field(() => Int, { description: 'Memory in MiB.' })
  memoryMb: number;

  @Field(() => Int, { description: 'Storage in GiB.' })
  storageGb: number;

  @Field(() => Int, { description: 'Device slots.' })
  deviceSlots: number;
}

@ObjectType({ description: 'A physical host that runs cloud phones.' })
@Directive('@key(fields: "id")')
export class Node {
  @Field(() => ID, { description: 'Unique node id.' })
  id: string;

  @Field({ description: 'Host name, unique.' })
  name: string;

  @Field(() => NodeStatus, { description: 'Whether the host accepts and runs devices.' })
  status: NodeStatus;

  @Field({ description: 'Region, e.g. "eu-west".' })
  region: string;

  @Field({ description: 'Zone within the region.' })
  zone: string;

  @Field(() => [NodeLabel], { description: 'Labels used by placement.' })
  labels: NodeLabel[];

  @Field(() => NodeResourceAmounts, { description: 'What the host has, as registered. What its devices hold is `resources`, from the scheduler.' })
  capacity: NodeResourceAmounts;

  @Field(() => Date, { nullable: true, description: 'Last heartbeat from the host.' })
  lastHeartbeatAt: Date | null;

  @Field({ description: 'When the node was registered.' })
  createdAt: Date;
}

@ObjectType({ description: 'A page of nodes.' })
export class NodeConnection extends Connection(Node, 'Node') {}

@InputType({ description: 'A key/value label.' })
export class NodeLabelInput {
  @Field({ description: 'Label key: 1 to 63 of a-z, 0-9, ".", "-", "/", "_".' })
  @Matches(LABEL_KEY_PATTERN, { message: LABEL_KEY_MESSAGE })
  key: string;

  @Field({ description: 'Label value, up to 63 characters.' })
  @Length(0, 63)
  value: string;
}

@InputType({ description: 'A new host.' })
export class CreateNodeInput {
  @Field({ description: 'Host name, unique, 1 to 100 characters.' })
  @Length(1, 100)
  name: string;

  @Field({ description: 'Region.' })
  @Length(1, 50)
  region: string;

  @Field({ description: 'Zone.' })
  @Length(1, 50)
  zone: string;

  @Field(() => [NodeLabelInput], { nullable: true, description: 'Labels.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => NodeLabelInput)
  labels?: NodeLabelInput[] | null;

  @Field(() => Int, { description: 'CPU cores.' })
  @IsInt()
  @Min(1)
  @Max(1024)
  cpuCores: number;

  @Field(() => Int, { description: 'Memory in MiB.' })
  @IsInt()
  @Min(1024)
  @Max(16_777_216)
  memoryMb: number;

  @Field(() => Int, { description: 'Storage in GiB.' })
  @IsInt()
  @Min(1)
  @Max(1_048_576)
  storageGb: number;

  @Field(() => Int, { description: 'Most devices the host runs at once.' })
  @IsInt()
  @Min(1)
  @Max(10_000)
  deviceSlots: number;
}

@InputType({ description: 'Changes to a host; omitted fields stay as they are.' })
export class UpdateNodeInput {
  @Field(() => NodeStatus, { nullable: true, description: 'New status.' })
  @IsOptional()
  @IsEnum(NodeStatus)
  status?: NodeStatus | null;

  @Field(() => [NodeLabelInput], { nullable: true, description: 'Replaces all labels.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => NodeLabelInput)
  labels?: NodeLabelInput[] | null;
}

@InputType({ description: 'Narrows a list of nodes.' })
export class NodeFilter {
  @Field(() => NodeStatus, { nullable: true, description: 'Only nodes in this state.' })
  @IsOptional()
  @IsEnum(NodeStatus)
  status?: NodeStatus | null;

  @Field(() => String, { nullable: true, description: 'Only nodes in this region.' })
  @IsOptional()
  @Length(1, 50)
  region?: string | null;
}
