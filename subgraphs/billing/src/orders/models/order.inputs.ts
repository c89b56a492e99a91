import { Field, ID, InputType } from '@nestjs/graphql';
import { IsOptional, IsString } from 'class-validator';

@InputType({ description: 'A new order of a plan; amount and currency come from the plan.' })
export class CreateOrderInput {
  @Field(() => ID, { description: 'The user placing the order.' })
  @IsString()
  userId: string;

  @Field(() => ID, { description: 'The plan bought; it must be active.' })
  @IsString()
  planId: string;

  @Field(() => ID, { nullable: true, description: 'The device the order is for; it must belong to the user.' })
  @IsOptional()
  @IsString()
  deviceId?: string | null;
}
