import { Connection } from '@cloudphone/subgraph-kit';
import { Directive, Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsEnum, Length } from 'class-validator';
import { NotificationChannel, NotificationType } from '../../notifications/models/notification-kinds.js';

@ObjectType({ description: 'How notifications of one type read on one channel: title and body with {{name}} placeholders.' })
@Directive('@key(fields: "id")')
export class NotificationTemplate {
  @Field(() => ID, { description: 'Unique template id.' })
  id: string;

  @Field(() => NotificationType, { description: 'The notification type it renders.' })
  type: NotificationType;

  @Field(() => NotificationChannel, { description: 'The channel it renders for.' })
  channel: NotificationChannel;

  @Field({ description: 'Title text; {{name}} placeholders are filled from the event.' })
  titleTemplate: string;

  @Field({ description: 'Body text; {{name}} placeholders are filled from the event.' })
  bodyTemplate: string;

  @Field({ description: 'When the template was created.' })
  createdAt: Date;

  @Field({ description: 'When the template last changed.' })
  updatedAt: Date;
}

@ObjectType({ description: 'A page of notification templates.' })
export class NotificationTemplateConnection extends Connection(NotificationTemplate, 'NotificationTemplate') {}

@InputType({ description: 'The template of a type and channel; replaces the current one if there is one.' })
export class UpsertNotificationTemplateInput {
  @Field(() => NotificationType, { description: 'The notification type it renders.' })
  @IsEnum(NotificationType)
  type: NotificationType;

  @Field(() => NotificationChannel, { description: 'The channel it renders for.' })
  @IsEnum(NotificationChannel)
  channel: NotificationChannel;

  @Field({ description: 'Title, 1 to 200 characters; placeholders are {{name}} with names of letters, digits, "_" and ".".' })
  @Length(1, 200)
  titleTemplate: string;

  @Field({ description: 'Body, 1 to 5000 characters; placeholders are {{name}} with names of letters, digits, "_" and ".".' })
  @Length(1, 5000)
  bodyTemplate: string;
}
