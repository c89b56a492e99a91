import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PaymentMethod } from './payment.model.js';

@InputType({ description: 'Credit bought for a balance through the payment provider.' })
export class RechargeBalanceInput {
  @Field(() => ID, { nullable: true, description: 'Whose balance; default: the caller.' })
  @IsOptional()
  @IsString()
  userId?: string | null;

  @Field({ description: 'Amount in major units, as a decimal string (e.g. "50.00").' })
  @IsString()
  amount: string;

  @Field(() => String, { nullable: true, description: 'ISO 4217 currency; default: the platform currency.' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/)
  currency?: string | null;

  @Field(() => PaymentMethod, { description: 'An external method (not BALANCE).' })
  @IsEnum(PaymentMethod)
  method: PaymentMethod;

  @Field({ description: "The customer's payment token from the provider's client SDK." })
  @IsString()
  @Length(1, 200)
  paymentToken: string;

  @Field({ description: "The client's key for this recharge: repeating the mutation with it returns the first payment instead of charging again." })
  @IsString()
  @Length(1, 100)
  idempotencyKey: string;
}
