import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, Length } from 'class-validator';
import { PaymentMethod } from '../../payments/models/payment.model.js';

@InputType({ description: 'A plan bought for a user: paid, then a cloud phone of the plan is created and started.' })
export class PurchasePlanInput {
  @Field(() => ID, { description: 'The plan bought; it must be active.' })
  @IsString()
  planId: string;

  @Field(() => ID, { nullable: true, description: 'Who buys; default: the caller.' })
  @IsOptional()
  @IsString()
  userId?: string | null;

  @Field(() => PaymentMethod, { nullable: true, description: 'How to pay; default: BALANCE.' })
  @IsOptional()
  @IsEnum(PaymentMethod)
  method?: PaymentMethod | null;

  @Field(() => String, { nullable: true, description: "The customer's payment token from the provider's client SDK; required for every method but BALANCE." })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  paymentToken?: string | null;

  @Field(() => String, { nullable: true, description: 'Name of the new cloud phone (1 to 64 characters); default: the plan name.' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  deviceName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The buyer's key for this purchase (1 to 100 characters): repeating purchasePlan with it returns the first order instead of buying again.",
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  idempotencyKey?: string | null;
}
