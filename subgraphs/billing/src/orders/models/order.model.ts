import { Connection, SortDirection } from '@cloudphone/subgraph-kit';
import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString } from 'class-validator';
import { Device } from '../../devices/models/device.model.js';
import { Plan } from '../../plans/models/plan.model.js';
import { User } from '../../users/models/user.model.js';

export enum OrderStatus {
  PENDING = 'PENDING',
  PAID = 'PAID',
  CANCELLED = 'CANCELLED',
  REFUNDED = 'REFUNDED',
  FAILED = 'FAILED',
}
registerEnumType(OrderStatus, {
  name: 'OrderStatus',
  description: 'Where an order is in its life: PENDING, then PAID, CANCELLED or FAILED; a PAID order may be REFUNDED.',
  valuesMap: {
    PENDING: { description: 'Placed and waiting for payment (until `expiresAt`).' },
    PAID: { description: 'Paid in full.' },
    CANCELLED: { description: 'Cancelled before it was paid.' },
    REFUNDED: { description: 'Paid, then paid back.' },
    FAILED: { description: 'The payment did not go through.' },
  },
});

export enum OrderOrderField {
  CREATED_AT = 'CREATED_AT',
  AMOUNT = 'AMOUNT',
  USER_NAME = 'USER_NAME',
  USER_EMAIL = 'USER_EMAIL',
}
registerEnumType(OrderOrderField, {
  name: 'OrderOrderField',
  description: 'Fields orders can be sorted by.',
  valuesMap: {
    CREATED_AT: { description: 'When the order was placed.' },
    AMOUNT: { description: 'Amount in minor units (currencies are not converted).' },
    USER_NAME: { description: "The user's display name when the order was placed." },
    USER_EMAIL: { description: "The user's e-mail address when the order was placed." },
  },
});

@ObjectType({ description: "This subgraph's copies of the user and device an order names, for filtering and sorting; read by consistency checks, hidden from the public API." })
@Directive('@inaccessible')
export class OrderCopies {
  @Field({ description: 'Copied user display name.' })
  userName: string;

  @Field({ description: 'Copied user e-mail address.' })
  userEmail: string;

  @Field(() => Int, { description: 'Version of the user the copies came from.' })
  userVersion: number;

  @Field(() => String, { nullable: true, description: 'Copied device name; null without a device.' })
  deviceName: string | null;

  @Field(() => Int, { nullable: true, description: 'Version of the device the copy came from.' })
  deviceVersion: number | null;
}

@ObjectType({ description: 'A purchase of a plan by a user, optionally for one device.' })
@Directive('@key(fields: "id")')
export class Order {
  @Field(() => ID, { description: 'Unique order id.' })
  id: string;

  /** Keys of the related entities; the fields below resolve them. */
  userId: string;
  deviceId: string | null;
  planId: string;

  @Field(() => User, { description: 'Who placed the order.' })
  user?: User;

  @Field(() => Device, { nullable: true, description: 'The device the order is for; null when it is for none.' })
  device?: Device | null;

  @Field(() => Plan, { description: 'The plan bought.' })
  plan?: Plan;

  @Field({ description: 'Amount due in major units of `currency`, as an exact decimal (e.g. "19.90"); the plan price when ordered.' })
  amount: string;

  /** The same amount in minor units; not part of the schema. */
  amountMinor: number;

  @Field({ description: 'ISO 4217 currency code of the amount.' })
  currency: string;

  @Field(() => OrderStatus, { description: 'Where the order is in its life.' })
  status: OrderStatus;

  @Field(() => String, { nullable: true, description: 'Why the order was cancelled or failed (e.g. "INSUFFICIENT_BALANCE: ...", "EXPIRED: ..."); null otherwise.' })
  statusReason: string | null;

  @Field({ description: 'When the order was placed.' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the order was paid; null until then.' })
  paidAt: Date | null;

  @Field({ description: 'When a pending order stops being payable (15 minutes after it was placed).' })
  expiresAt: Date;

  @Field(() => OrderCopies, { description: 'The local copies of user and device (not in the public API).' })
  @Directive('@inaccessible')
  copies: OrderCopies;
}

@ObjectType({ description: 'A page of orders.' })
export class OrderConnection extends Connection(Order, 'Order') {}

@InputType({ description: 'Narrows a list of orders.' })
export class OrderFilter {
  @Field(() => ID, { nullable: true, description: 'Only orders of this user.' })
  @IsOptional()
  @IsString()
  userId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only orders for this device.' })
  @IsOptional()
  @IsString()
  deviceId?: string | null;

  @Field(() => OrderStatus, { nullable: true, description: 'Only orders in this state.' })
  @IsOptional()
  @IsEnum(OrderStatus)
  status?: OrderStatus | null;
}

@InputType({ description: 'Sort order of a list of orders.' })
export class OrderOrder {
  @Field(() => OrderOrderField, { description: 'Field to sort by.' })
  @IsEnum(OrderOrderField)
  field: OrderOrderField;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC, description: 'Direction (default descending).' })
  @IsEnum(SortDirection)
  direction: SortDirection;
}
