import { Connection } from '@cloudphone/subgraph-kit';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { BillingSpec, DeviceProvider } from '../../billing-rules/models/billing-rule.model.js';
import { Device } from '../../devices/models/device.model.js';
import { User } from '../../users/models/user.model.js';

export enum UsageEnd {
  STATUS_CHANGE = 'STATUS_CHANGE',
  PERIODIC_CUT = 'PERIODIC_CUT',
}
registerEnumType(UsageEnd, {
  name: 'UsageEnd',
  description: 'Why a usage record ended.',
  valuesMap: {
    STATUS_CHANGE: { description: 'The device left RUNNING (stopped, failed or deleted).' },
    PERIODIC_CUT: { description: 'Metering charged the running time so far; the next record of the run continues from here.' },
  },
});

@ObjectType({ description: 'A stretch of time a device ran, and what it cost.' })
export class UsageRecord {
  @Field(() => ID, { description: 'Unique usage record id.' })
  id: string;

  /** Keys of the related entities; the fields below resolve them. */
  deviceId: string;
  userId: string;

  @Field(() => Device, { description: 'The device that ran.' })
  device?: Device;

  @Field(() => User, { description: 'Whose balance pays for it.' })
  user?: User;

  @Field(() => DeviceProvider, { description: 'Provider of the device.' })
  provider: DeviceProvider;

  @Field(() => BillingSpec, { description: 'Resources of the device.' })
  spec: BillingSpec;

  @Field(() => Int, { description: 'Segment of the run: 0 when the device started, 1, 2... after each periodic cut.' })
  segment: number;

  @Field({ description: 'When this stretch started (the RUNNING change, or the cut the previous record ended at).' })
  startedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it ended; null while the device is still running.' })
  endedAt: Date | null;

  @Field(() => UsageEnd, { nullable: true, description: 'Why it ended; null while open.' })
  endedBy: UsageEnd | null;

  @Field(() => Float, { nullable: true, description: 'Whole milliseconds from start to end (exact below 2^53); null while open.' })
  durationMs: number | null;

  @Field(() => Float, { nullable: true, description: 'Of the duration, the milliseconds a paid plan order for the device covered (not charged); null while open.' })
  coveredMs: number | null;

  @Field(() => String, { nullable: true, description: 'Hourly price in force when the record opened, in major units; null when no billing rule matched (free).' })
  pricePerHour: string | null;

  @Field({ description: 'ISO 4217 currency code of the price and amounts.' })
  currency: string;

  @Field(() => String, { nullable: true, description: 'What the record costs, exact decimal in major units; null while open.' })
  cost: string | null;

  @Field(() => String, { nullable: true, description: 'Of the cost, what was debited from the balance; null while open.' })
  charged: string | null;

  @Field(() => String, { nullable: true, description: 'Of the cost, what the balance could not cover (due on the invoice); null while open.' })
  unpaid: string | null;
}

@ObjectType({ description: 'A page of usage records.' })
export class UsageRecordConnection extends Connection(UsageRecord, 'UsageRecord') {}

@ObjectType({ description: "A device's closed usage in one currency, added up." })
export class UsageTotal {
  @Field({ description: 'ISO 4217 currency code of the amounts.' })
  currency: string;

  @Field(() => Int, { description: 'Closed usage records counted.' })
  records: number;

  @Field(() => Float, { description: 'Whole milliseconds of running time they cover.' })
  runningMs: number;

  @Field({ description: 'What they cost, exact decimal in major units.' })
  cost: string;

  @Field({ description: 'Of the cost, what was debited from the balance.' })
  charged: string;

  @Field({ description: 'Of the cost, what is still due.' })
  unpaid: string;
}
