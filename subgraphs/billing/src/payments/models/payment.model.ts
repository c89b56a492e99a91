import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum PaymentMethod {
  BALANCE = 'BALANCE',
  CARD = 'CARD',
  ALIPAY = 'ALIPAY',
  WECHAT = 'WECHAT',
}
registerEnumType(PaymentMethod, {
  name: 'PaymentMethod',
  description: 'How a payment is made: from the balance, or through an external provider.',
  valuesMap: {
    BALANCE: { description: "Debited from the user's balance at once." },
    CARD: { description: 'A card, through the payment provider.' },
    ALIPAY: { description: 'Alipay, through the payment provider.' },
    WECHAT: { description: 'WeChat Pay, through the payment provider.' },
  },
});

export enum PaymentStatus {
  PENDING = 'PENDING',
  PROCESSING = 'PROCESSING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  REFUNDING = 'REFUNDING',
  REFUNDED = 'REFUNDED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(PaymentStatus, {
  name: 'PaymentStatus',
  description: 'Where a payment is: PENDING, PROCESSING at the provider, then SUCCEEDED, FAILED or CANCELLED; a SUCCEEDED payment may be REFUNDED.',
  valuesMap: {
    PENDING: { description: 'Recorded, not yet sent to the provider.' },
    PROCESSING: { description: 'Sent to the provider; its answer is awaited.' },
    SUCCEEDED: { description: 'The money was taken.' },
    FAILED: { description: 'Declined, or not enough balance.' },
    REFUNDING: { description: 'Being given back.' },
    REFUNDED: { description: 'Given back.' },
    CANCELLED: { description: 'Voided before the money was taken (e.g. the order expired).' },
  },
});

export enum PaymentPurpose {
  ORDER = 'ORDER',
  RECHARGE = 'RECHARGE',
}
registerEnumType(PaymentPurpose, {
  name: 'PaymentPurpose',
  description: 'What a payment pays for.',
  valuesMap: { ORDER: { description: 'An order.' }, RECHARGE: { description: 'Credit on the balance.' } },
});

@ObjectType({ description: 'A payment of an order or a balance recharge.' })
export class Payment {
  @Field(() => ID, { description: 'Unique payment id.' })
  id: string;

  @Field(() => PaymentPurpose, { description: 'What the payment pays for.' })
  purpose: PaymentPurpose;

  @Field(() => PaymentMethod, { description: 'How it is paid.' })
  method: PaymentMethod;

  @Field(() => PaymentStatus, { description: 'Where the payment is.' })
  status: PaymentStatus;

  @Field({ description: 'Amount in major units of `currency`, as an exact decimal (e.g. "19.90").' })
  amount: string;

  @Field({ description: 'ISO 4217 currency code.' })
  currency: string;

  @Field(() => String, { nullable: true, description: "The provider's reference; null for BALANCE." })
  providerReference: string | null;

  @Field(() => String, { nullable: true, description: 'Why the payment failed or was cancelled.' })
  failureReason: string | null;

  @Field({ description: 'When the payment was recorded.' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the money was taken.' })
  succeededAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the money was given back.' })
  refundedAt: Date | null;

  /** Internal: for access checks and resolvers. */
  userId: string;
  tenantId: string | null;
  orderId: string | null;
}
