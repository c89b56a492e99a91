import { Connection } from '@cloudphone/subgraph-kit';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum PlanTier {
  FREE = 'FREE',
  BASIC = 'BASIC',
  PRO = 'PRO',
  ENTERPRISE = 'ENTERPRISE',
}
registerEnumType(PlanTier, {
  name: 'PlanTier',
  description: 'Service level of a plan.',
  valuesMap: {
    FREE: { description: 'No charge; for trying the platform.' },
    BASIC: { description: 'Entry level.' },
    PRO: { description: 'For professional use.' },
    ENTERPRISE: { description: 'For organisations, with the largest limits.' },
  },
});

@ObjectType({ description: 'The resources one cloud phone of a plan gets.' })
export class PlanSpec {
  @Field(() => Int, { description: 'Virtual CPU cores.' })
  cpuCores: number;

  @Field(() => Int, { description: 'Memory in megabytes.' })
  memoryMb: number;

  @Field(() => Int, { description: 'Storage in gigabytes.' })
  storageGb: number;
}

@ObjectType({ description: 'What a customer can buy: a price per period for cloud phones of a given size.' })
@Directive('@key(fields: "id")')
export class Plan {
  @Field(() => ID, { description: 'Unique plan id.' })
  id: string;

  @Field({ description: 'Display name, unique across the platform.' })
  name: string;

  @Field(() => PlanTier, { description: 'Service level.' })
  tier: PlanTier;

  @Field({ description: 'Price per period in major units of `currency`, as an exact decimal (e.g. "19.90").' })
  price: string;

  /** The same price in minor units, for billing rules; not part of the schema. */
  priceMinor: number;

  @Field({ description: 'ISO 4217 currency code of the price (e.g. "USD").' })
  currency: string;

  @Field(() => Int, { description: 'Length of one billing period in days.' })
  periodDays: number;

  @Field(() => PlanSpec, { description: 'Resources of one cloud phone on this plan.' })
  spec: PlanSpec;

  @Field(() => Int, { description: 'Most devices one subscription to this plan may cover.' })
  maxDevices: number;

  @Field({ description: 'False once the plan is withdrawn; inactive plans cannot be ordered.' })
  active: boolean;
}

@ObjectType({ description: 'A page of plans.' })
export class PlanConnection extends Connection(Plan, 'Plan') {}
