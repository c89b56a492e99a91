import { Field, InputType, Int } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsEnum, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { PlanTier } from './plan.model.js';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

@InputType({ description: 'A new plan.' })
export class CreatePlanInput {
  @Field({ description: 'Display name, 2 to 100 characters, unique.' })
  @Transform(trim)
  @IsString()
  @Length(2, 100)
  name: string;

  @Field(() => PlanTier, { description: 'Service level.' })
  @IsEnum(PlanTier)
  tier: PlanTier;

  @Field({ description: 'Price per period in major units, a decimal of at most the currency\'s decimals, 0 or more (e.g. "19.90").' })
  @IsString()
  price: string;

  @Field({ description: 'ISO 4217 currency code: three upper-case letters (e.g. "USD").' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be three upper-case letters (ISO 4217)' })
  currency: string;

  @Field(() => Int, { description: 'Length of one billing period in days, 1 to 3660.' })
  @IsInt()
  @Min(1)
  @Max(3660)
  periodDays: number;

  @Field(() => Int, { description: 'Virtual CPU cores, 1 to 64.' })
  @IsInt()
  @Min(1)
  @Max(64)
  cpuCores: number;

  @Field(() => Int, { description: 'Memory in megabytes, 512 to 262144.' })
  @IsInt()
  @Min(512)
  @Max(262_144)
  memoryMb: number;

  @Field(() => Int, { description: 'Storage in gigabytes, 1 to 4096.' })
  @IsInt()
  @Min(1)
  @Max(4096)
  storageGb: number;

  @Field(() => Int, { description: 'Most devices one subscription may cover, 1 to 1000.' })
  @IsInt()
  @Min(1)
  @Max(1000)
  maxDevices: number;
}
