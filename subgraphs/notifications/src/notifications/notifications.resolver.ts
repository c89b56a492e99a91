import { type RequestContext, isId, parseId } from '@cloudphone/subgraph-kit';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { User } from '../users/models/user.model.js';
import { Notification, type UserReference } from './models/notification.model.js';
import { NotificationsService } from './notifications.service.js';

@Resolver(() => Notification)
export class NotificationsResolver {
  constructor(private readonly notificationService: NotificationsService) {}

  @Query(() => Notification, { nullable: true, description: 'One notification by id; null when there is none.' })
  notification(@Args('id', { type: () => ID, description: 'Id of the notification.' }) id: string, @Context() context: RequestContext) {
    return this.notificationService.byId(context, parseId(id));
  }

  @Mutation(() => Notification, { description: 'Marks a notification read; marking it again keeps the first readAt. NOT_FOUND when there is none.' })
  markNotificationRead(@Args('id', { type: () => ID, description: 'Id of the notification.' }) id: string, @Context() context: RequestContext) {
    return this.notificationService.markRead(context, parseId(id));
  }

  @Mutation(() => Int, { description: "Marks every unread notification of a user's in-app list read; returns how many changed." })
  markAllNotificationsRead(@Args('userId', { type: () => ID, description: 'The user.' }) userId: string, @Context() context: RequestContext) {
    return this.notificationService.markAllRead(context, parseId(userId, 'userId'));
  }

  @ResolveField(() => User, { description: 'The user it is for.' })
  user(@Parent() notification: Notification): UserReference {
    return { __typename: 'User', id: notification.userId };
  }

  @ResolveReference()
  resolveReference(@Parent() reference: { id: unknown }, @Context() context: RequestContext) {
    return isId(reference.id) ? this.notificationService.byId(context, reference.id.toLowerCase()) : null;
  }
}
