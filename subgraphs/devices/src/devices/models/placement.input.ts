import { Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsEnum, IsOptional, Length, ValidateNested } from 'class-validator';
import { NodeLabelInput } from '../../nodes/models/node.model.js';

/** The scheduler's strategies (its enum of the same name and values; composition merges the two). */
export enum PlacementStrategy {
  LEAST_LOADED = 'LEAST_LOADED',
  BINPACK = 'BINPACK',
  SPREAD = 'SPREAD',
  ROUND_ROBIN = 'ROUND_ROBIN',
  WEIGHTED = 'WEIGHTED',
}
registerEnumType(PlacementStrategy, { name: 'PlacementStrategy', description: 'How the scheduler picks a node among those that fit.' });

@InputType({ description: 'Where a new device may run; every constraint is optional.' })
export class PlacementInput {
  @Field(() => PlacementStrategy, { nullable: true, description: "How to pick among the nodes that fit; the scheduler's default when omitted." })
  @IsOptional()
  @IsEnum(PlacementStrategy)
  strategy?: PlacementStrategy | null;

  @Field(() => [NodeLabelInput], { nullable: true, description: 'Labels the node must carry.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => NodeLabelInput)
  labels?: NodeLabelInput[] | null;

  @Field(() => String, { nullable: true, description: 'Only nodes in this region.' })
  @IsOptional()
  @Length(1, 50)
  region?: string | null;

  @Field(() => String, { nullable: true, description: 'Only nodes in this zone.' })
  @IsOptional()
  @Length(1, 50)
  zone?: string | null;
}
