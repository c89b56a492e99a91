import { Connection } from '@cloudphone/subgraph-kit';
import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';
import { NotificationChannel, NotificationSeverity, NotificationType } from './notification-kinds.js';

export { NotificationChannel, NotificationSeverity, NotificationType };

/** The user as this subgraph references it; the users subgraph resolves the rest. */
export interface UserReference {
  __typename: 'User';
  id: string;
}

@ObjectType({ description: 'A message to a user about something that happened, on one channel.' })
@Directive('@key(fields: "id")')
export class Notification {
  @Field(() => ID, { description: 'Unique notification id.' })
  id: string;

  @Field(() => NotificationType, { description: 'What the notification is about.' })
  type: NotificationType;

  @Field(() => NotificationChannel, { description: 'How it reached the user.' })
  channel: NotificationChannel;

  @Field(() => NotificationSeverity, { description: 'How urgent it is.' })
  severity: NotificationSeverity;

  @Field({ description: 'Short title, rendered from the template of its type and channel.' })
  title: string;

  @Field({ description: 'Plain-text body, rendered from the template of its type and channel.' })
  body: string;

  @Field({ description: 'The values it was rendered from (ids, names, amounts), as a JSON object in a string.' })
  dataJson: string;

  @Field(() => Date, { nullable: true, description: 'When the user read it; null while unread.' })
  readAt: Date | null;

  @Field({ description: 'When it was created.' })
  createdAt: Date;

  /** Not a GraphQL field: used to resolve `user`. */
  userId: string;
}

@ObjectType({ description: 'A page of notifications.' })
export class NotificationConnection extends Connection(Notification, 'Notification') {}
