import { Connection, DeviceSpecFields } from '@cloudphone/subgraph-kit';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';

/** The devices subgraph's DeviceProvider (same values: the supergraph merges the two). */
export enum DeviceProvider {
  REDROID = 'REDROID',
  PHYSICAL = 'PHYSICAL',
  HUAWEI_CPH = 'HUAWEI_CPH',
  ALIYUN_ECP = 'ALIYUN_ECP',
}
registerEnumType(DeviceProvider, { name: 'DeviceProvider', description: 'What runs the cloud phone.' });

@ObjectType({ description: 'Resources of a cloud phone, as billing prices them.' })
export class BillingSpec {
  @Field(() => Int, { description: 'Virtual CPU cores.' })
  cpuCores: number;

  @Field(() => Int, { description: 'Memory in MiB.' })
  memoryMb: number;

  @Field(() => Int, { description: 'Storage in GiB.' })
  storageGb: number;
}

@ObjectType({ description: 'The hourly price of running a cloud phone of a provider and spec.' })
export class BillingRule {
  @Field(() => ID, { description: 'Unique rule id.' })
  id: string;

  @Field(() => DeviceProvider, { description: 'Provider of the devices the rule prices.' })
  provider: DeviceProvider;

  @Field(() => BillingSpec, {
    nullable: true,
    description: "The exact spec (cpu, memory and storage) the rule prices; null on the provider's default rule, which prices the provider's devices no spec rule matches.",
  })
  spec: BillingSpec | null;

  @Field({ description: 'Price of one hour of running in major units of `currency`, as an exact decimal (e.g. "0.12").' })
  pricePerHour: string;

  /** The same price in minor units; not part of the schema. */
  pricePerHourMinor: number;

  @Field({ description: 'ISO 4217 currency code of the price.' })
  currency: string;

  @Field({ description: 'When the price was last set; it applies to running time from the next metering cut on.' })
  updatedAt: Date;
}

@ObjectType({ description: 'A page of billing rules.' })
export class BillingRuleConnection extends Connection(BillingRule, 'BillingRule') {}

@InputType({ description: 'The exact resources a billing rule prices.' })
export class BillingSpecInput extends DeviceSpecFields {}

@InputType({ description: 'The price of a provider and spec; replaces the rule of that provider and spec if there is one.' })
export class SetBillingRuleInput {
  @Field(() => DeviceProvider, { description: 'Provider of the devices to price.' })
  @IsEnum(DeviceProvider)
  provider: DeviceProvider;

  @Field(() => BillingSpecInput, { nullable: true, description: "The exact spec to price; omit or null for the provider's default rule." })
  @IsOptional()
  @ValidateNested()
  @Type(() => BillingSpecInput)
  spec?: BillingSpecInput | null;

  @Field({ description: 'Price of one hour in major units, a decimal of at most the currency\'s decimals, 0 or more (e.g. "0.12").' })
  @IsString()
  pricePerHour: string;

  @Field({ description: 'ISO 4217 currency code: three upper-case letters (e.g. "USD").' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be three upper-case letters (ISO 4217)' })
  currency: string;
}
