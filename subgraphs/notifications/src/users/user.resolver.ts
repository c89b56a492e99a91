import { type RequestContext, ConnectionArgs, isId } from '@cloudphone/subgraph-kit';
import { Args, Context, Int, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { NotificationConnection } from '../notifications/models/notification.model.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { User } from './models/user.model.js';

/** Notifications' fields on the users subgraph's User. */
@Resolver(() => User)
export class UserResolver {
  constructor(private readonly notificationService: NotificationsService) {}

  @ResolveField(() => NotificationConnection, {
    nullable: true,
    description: "The user's in-app notifications (IN_APP and WEBSOCKET), newest first; null when notifications cannot answer.",
  })
  notifications(
    @Parent() user: User,
    @Args() args: ConnectionArgs,
    @Args('unreadOnly', { type: () => Boolean, nullable: true, defaultValue: false, description: 'Only notifications not read yet.' }) unreadOnly: boolean | null,
    @Context() context: RequestContext,
  ) {
    return this.notificationService.ofUser(context, user.id, args, unreadOnly ?? false);
  }

  @ResolveField(() => Int, { nullable: true, description: 'How many of the in-app notifications are unread; null when notifications cannot answer.' })
  unreadNotificationCount(@Parent() user: User, @Context() context: RequestContext) {
    return this.notificationService.unreadCount(context, user.id);
  }

  /** Any well-formed id is a user here: the users subgraph owns existence. */
  @ResolveReference()
  resolveReference(@Parent() reference: { id: unknown }): User | null {
    return isId(reference.id) ? { id: reference.id.toLowerCase() } : null;
  }
}
