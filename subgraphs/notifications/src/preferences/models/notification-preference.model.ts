import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsBoolean, IsEnum, IsInt, IsOptional, IsUUID, Length, Max, Min } from 'class-validator';
import { NotificationChannel, NotificationType } from '../../notifications/models/notification-kinds.js';

/** Last minute of a day: quiet hours are minutes after midnight, 0 to 1439. */
export const LAST_MINUTE_OF_DAY = 1439;

@ObjectType({ description: "A user's choice for one notification type: whether, where and when to be told." })
export class NotificationPreference {
  @Field(() => ID, { description: 'The user it belongs to.' })
  userId: string;

  @Field(() => NotificationType, { description: 'The notification type it applies to.' })
  type: NotificationType;

  @Field({ description: 'False: notifications of this type are not created at all.' })
  enabled: boolean;

  @Field(() => [NotificationChannel], { description: 'Channels notifications of this type go out on.' })
  channels: NotificationChannel[];

  @Field(() => Int, { nullable: true, description: 'Start of quiet hours, minutes after local midnight (0 to 1439); null: no quiet hours.' })
  quietHoursStart: number | null;

  @Field(() => Int, { nullable: true, description: 'End (exclusive) of quiet hours, minutes after local midnight; may be before the start to wrap midnight.' })
  quietHoursEnd: number | null;

  @Field({ description: 'IANA time zone the quiet hours are in, e.g. "Europe/Berlin".' })
  timeZone: string;

  @Field({ description: 'When the preference last changed.' })
  updatedAt: Date;
}

@InputType({
  description:
    'The whole preference of a user for one type; omitted fields take their defaults. In quiet hours only IN_APP is used, except for CRITICAL notifications.',
})
export class UpdateNotificationPreferenceInput {
  @Field(() => ID, { description: 'The user.' })
  @IsUUID('all', { message: 'userId must be a valid ID' })
  userId: string;

  @Field(() => NotificationType, { description: 'The notification type.' })
  @IsEnum(NotificationType)
  type: NotificationType;

  @Field({ defaultValue: true, description: 'False turns notifications of this type off.' })
  @IsBoolean()
  enabled: boolean;

  @Field(() => [NotificationChannel], { defaultValue: [NotificationChannel.IN_APP, NotificationChannel.EMAIL], description: 'Channels to use, 1 to 4, no repeats.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsEnum(NotificationChannel, { each: true })
  channels: NotificationChannel[];

  @Field(() => Int, { nullable: true, description: 'Start of quiet hours, minutes after local midnight (0 to 1439); give both bounds or neither.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(LAST_MINUTE_OF_DAY)
  quietHoursStart?: number | null;

  @Field(() => Int, { nullable: true, description: 'End (exclusive) of quiet hours, minutes after local midnight (0 to 1439); give both bounds or neither.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(LAST_MINUTE_OF_DAY)
  quietHoursEnd?: number | null;

  @Field({ defaultValue: 'UTC', description: 'IANA time zone of the quiet hours, e.g. "Europe/Berlin".' })
  @Length(1, 64)
  timeZone: string;
}
