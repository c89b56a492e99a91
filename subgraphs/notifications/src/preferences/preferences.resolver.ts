import type { RequestContext } from '@cloudphone/subgraph-kit';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { NotificationPreference, UpdateNotificationPreferenceInput } from './models/notification-preference.model.js';
import { PreferencesService } from './preferences.service.js';

@Resolver(() => NotificationPreference)
export class PreferencesResolver {
  constructor(private readonly preferenceService: PreferencesService) {}

  @Mutation(() => NotificationPreference, {
    description: "Sets a user's preference for one notification type: on or off, channels, quiet hours (minutes 0 to 1439, both or neither) and their IANA time zone.",
  })
  updateNotificationPreference(@Args('input', { description: 'The whole preference.' }) input: UpdateNotificationPreferenceInput, @Context() context: RequestContext) {
    return this.preferenceService.update(context, input);
  }
}
