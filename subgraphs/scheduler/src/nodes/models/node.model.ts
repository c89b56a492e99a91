import { Directive, Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'One resource of a node: what it has, what allocations hold, what is left.' })
export class ResourceUsage {
  @Field(() => Int, { description: 'What the node has.' })
  capacity: number;

  @Field(() => Int, { description: 'What live allocations hold.' })
  allocated: number;

  @Field(() => Int, { description: 'capacity - allocated.' })
  free: number;
}

@ObjectType({ description: "A node's capacity as the scheduler places devices on it." })
export class NodeResources {
  @Field(() => ResourceUsage, { description: 'CPU cores.' })
  cpuCores: ResourceUsage;

  @Field(() => ResourceUsage, { description: 'Memory in MiB.' })
  memoryMb: ResourceUsage;

  @Field(() => ResourceUsage, { description: 'Storage in GiB.' })
  storageGb: ResourceUsage;

  @Field(() => ResourceUsage, { description: 'Device slots.' })
  deviceSlots: ResourceUsage;

  @Field(() => Float, { description: 'Load score, 0 (idle) to 1 (full): 0.3 cpu% + 0.3 memory% + 0.4 device-slot%.' })
  loadScore: number;

  @Field({ description: 'When the scheduler last changed this (a placement, a release or news of the node).' })
  updatedAt: Date;
}

@ObjectType('Node', { description: 'A physical host that runs cloud phones.' })
@Directive('@key(fields: "id")')
export class Node {
  @Field(() => ID, { description: 'Unique node id.' })
  id: string;
}
