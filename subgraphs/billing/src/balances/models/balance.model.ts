import { Connection } from '@cloudphone/subgraph-kit';
import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

export enum LedgerEntryKind {
  RECHARGE = 'RECHARGE',
  CONSUME = 'CONSUME',
  REFUND = 'REFUND',
  ADJUSTMENT = 'ADJUSTMENT',
}
registerEnumType(LedgerEntryKind, {
  name: 'BalanceTransactionType',
  description: 'What moved money on a balance.',
  valuesMap: {
    RECHARGE: { description: 'Credit bought through the payment provider.' },
    CONSUME: { description: 'Spent: a plan paid from the balance, or metered device usage.' },
    REFUND: { description: 'Money given back.' },
    ADJUSTMENT: { description: 'A correction by an administrator.' },
  },
});

@ObjectType({ description: 'One movement of a balance (the balance is the sum of them all).' })
export class BalanceTransaction {
  @Field(() => ID, { description: 'Unique id of the movement.' })
  id: string;

  @Field(() => LedgerEntryKind, { description: 'What moved the money.' })
  type: LedgerEntryKind;

  @Field({ description: 'Signed amount in major units (credit positive, debit negative), as an exact decimal.' })
  amount: string;

  @Field({ description: 'The balance right after this movement, as an exact decimal.' })
  balanceAfter: string;

  @Field({ description: 'ISO 4217 currency code.' })
  currency: string;

  @Field({ description: 'What the movement was for.' })
  description: string;

  @Field(() => String, { nullable: true, description: 'The kind of thing it refers to (order, payment, usage...).' })
  referenceType: string | null;

  @Field(() => ID, { nullable: true, description: 'The id of the thing it refers to.' })
  referenceId: string | null;

  @Field({ description: 'When the money moved.' })
  createdAt: Date;
}

@ObjectType({ description: 'A page of balance movements.' })
export class BalanceTransactionConnection extends Connection(BalanceTransaction, 'BalanceTransaction') {}

@ObjectType({ description: "A user's balance in one currency: always the sum of its movements, never negative." })
export class Balance {
  @Field({ description: 'ISO 4217 currency code.' })
  currency: string;

  @Field({ description: 'The balance in major units, as an exact decimal (e.g. "19.90").' })
  amount: string;

  @Field(() => Date, { nullable: true, description: 'When the balance last moved; null if it never did.' })
  updatedAt: Date | null;

  /** Internal: whose balance, for the movements resolver. */
  userId: string;
  amountMinor: number;
}

@InputType({ description: 'A correction of a balance by an administrator.' })
export class AdjustBalanceInput {
  @Field(() => ID, { description: 'Whose balance.' })
  @IsString()
  userId: string;

  @Field({ description: 'Signed amount in major units, as a decimal string ("-5.00" takes 5 away).' })
  @IsString()
  @Matches(/^-?\d+(\.\d+)?$/)
  amount: string;

  @Field(() => String, { nullable: true, description: 'ISO 4217 currency; default: the platform currency.' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/)
  currency?: string | null;

  @Field({ description: 'Why (kept with the movement).' })
  @IsString()
  @Length(3, 500)
  reason: string;

  @Field({ description: "The caller's key for this adjustment: repeating the mutation with it adjusts once." })
  @IsString()
  @Length(1, 100)
  idempotencyKey: string;
}
