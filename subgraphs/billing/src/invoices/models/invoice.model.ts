import { Connection } from '@cloudphone/subgraph-kit';
import { Field, Float, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Device } from '../../devices/models/device.model.js';
import { User } from '../../users/models/user.model.js';

export enum InvoiceStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}
registerEnumType(InvoiceStatus, {
  name: 'InvoiceStatus',
  description: 'Whether an invoice can still change.',
  valuesMap: {
    OPEN: { description: 'The month is running (or just ended): new usage and payments still land on it.' },
    CLOSED: { description: 'The month is over and its totals are final.' },
  },
});

export enum InvoiceLineKind {
  USAGE = 'USAGE',
  ORDER = 'ORDER',
  RECHARGE = 'RECHARGE',
}
registerEnumType(InvoiceLineKind, {
  name: 'InvoiceLineKind',
  description: 'What an invoice line is for.',
  valuesMap: {
    USAGE: { description: "A device's running time at one hourly price, its usage records added up." },
    ORDER: { description: 'A plan order paid in the period.' },
    RECHARGE: { description: 'Money added to the balance in the period (a credit, not part of the total).' },
  },
});

@ObjectType({ description: 'One line of an invoice.' })
export class InvoiceLine {
  @Field(() => InvoiceLineKind, { description: 'What the line is for.' })
  kind: InvoiceLineKind;

  @Field({ description: 'What the line says, e.g. the plan name or the price per hour.' })
  description: string;

  /** Key of the device; the field below resolves it. */
  deviceId: string | null;

  @Field(() => Device, { nullable: true, description: 'The device the line is for; null for a line about none.' })
  device?: Device | null;

  @Field(() => ID, { nullable: true, description: 'The paid order (ORDER) or ledger entry (RECHARGE) of the line; null on USAGE lines.' })
  referenceId: string | null;

  @Field({ description: 'When the line starts: the first usage record, or when the order was paid or the balance recharged.' })
  from: Date;

  @Field({ description: 'When the line ends: the end of the last usage record; equal to `from` for orders and recharges.' })
  to: Date;

  @Field(() => Float, { nullable: true, description: 'USAGE: whole milliseconds of running time (exact below 2^53); null on other lines.' })
  runningMs: number | null;

  @Field(() => Float, { nullable: true, description: 'USAGE: of the running time, the milliseconds a paid plan covered (not charged); null on other lines.' })
  coveredMs: number | null;

  @Field({ description: 'Amount of the line in major units of the invoice currency, as an exact decimal; for RECHARGE the amount credited.' })
  amount: string;

  @Field({ description: 'Of the amount, what was taken from the balance or paid (0 on RECHARGE lines).' })
  charged: string;

  @Field({ description: 'Of the amount, what the balance could not cover: still due.' })
  due: string;

  /** The same amounts in minor units; not part of the schema. */
  amountMinor: number;
  chargedMinor: number;
  dueMinor: number;
}

@ObjectType({ description: 'What an invoice adds up to, in major units of its currency as exact decimals.' })
export class InvoiceTotals {
  @Field({ description: 'Usage cost plus paid orders.' })
  total: string;

  @Field({ description: 'Of the total, what was taken from the balance or paid.' })
  charged: string;

  @Field({ description: 'Of the total, what the balance could not cover: still due.' })
  due: string;

  @Field({ description: 'Money added to the balance in the period (not part of the total).' })
  credited: string;
}

@ObjectType({ description: "A user's bill for one calendar month (UTC) in one currency: running time, paid orders and recharges." })
export class Invoice {
  @Field(() => ID, { description: 'Unique invoice id.' })
  id: string;

  /** Owner and period keys; the fields below resolve them. */
  userId: string;
  tenantId: string | null;

  @Field(() => User, { description: 'Whose invoice it is.' })
  user?: User;

  @Field({ description: 'The month, as YYYY-MM (UTC).' })
  period: string;

  @Field({ description: 'First instant of the month (inclusive).' })
  periodStart: Date;

  @Field({ description: 'First instant of the next month (exclusive).' })
  periodEnd: Date;

  @Field({ description: 'ISO 4217 currency code of every amount on the invoice.' })
  currency: string;

  @Field(() => InvoiceStatus, { description: 'OPEN while amounts may still change, then CLOSED.' })
  status: InvoiceStatus;

  @Field(() => Date, { nullable: true, description: 'When the invoice was closed; null while it is open.' })
  closedAt: Date | null;

  /** Totals frozen at closing (minor units); null while open, when the lines are added up instead. */
  frozen: TotalsMinor | null;

  @Field(() => InvoiceTotals, { description: 'What the invoice adds up to: frozen once closed, added up from the lines while open.' })
  totals?: InvoiceTotals;

  @Field(() => [InvoiceLine], { description: 'The lines: usage per device and price, then paid orders and recharges, in time order.' })
  lines?: InvoiceLine[];
}

/** An invoice's totals in minor units. */
export interface TotalsMinor {
  totalMinor: number;
  chargedMinor: number;
  dueMinor: number;
  creditedMinor: number;
}

@ObjectType({ description: 'A page of invoices.' })
export class InvoiceConnection extends Connection(Invoice, 'Invoice') {}
