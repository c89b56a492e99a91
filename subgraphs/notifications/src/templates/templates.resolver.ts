import { type RequestContext, ConnectionArgs, isId } from '@cloudphone/subgraph-kit';
import { Args, Context, Mutation, Parent, Query, ResolveReference, Resolver } from '@nestjs/graphql';
import { NotificationTemplate, NotificationTemplateConnection, UpsertNotificationTemplateInput } from './models/notification-template.model.js';
import { TemplatesService } from './templates.service.js';

@Resolver(() => NotificationTemplate)
export class TemplatesResolver {
  constructor(private readonly templateService: TemplatesService) {}

  @Query(() => NotificationTemplateConnection, { description: 'Notification templates, oldest first.' })
  notificationTemplates(@Args() args: ConnectionArgs, @Context() context: RequestContext) {
    return this.templateService.list(context, args);
  }

  @Mutation(() => NotificationTemplate, {
    description: 'Creates or replaces the template of a type and channel. Placeholders are {{name}} only; anything else is BAD_USER_INPUT.',
  })
  upsertNotificationTemplate(@Args('input', { description: 'The template.' }) input: UpsertNotificationTemplateInput, @Context() context: RequestContext) {
    return this.templateService.upsert(context, input);
  }

  @ResolveReference()
  resolveReference(@Parent() reference: { id: unknown }, @Context() context: RequestContext) {
    return isId(reference.id) ? this.templateService.byId(context, reference.id.toLowerCase()) : null;
  }
}
