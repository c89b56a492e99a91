import type { RequestContext } from '@cloudphone/subgraph-kit';
import { Args, Context, Directive, Mutation, Query, Resolver } from '@nestjs/graphql';
import { JSONScalar } from './models/json.scalar.js';
import { DictionaryEntry, SetDictionaryEntryInput, Setting, SystemConfigItem } from './models/system-config.model.js';
import { SystemConfigService } from './system-config.service.js';

@Resolver()
export class SystemConfigResolver {
  constructor(private readonly service: SystemConfigService) {}

  @Query(() => [Setting], { description: 'Every platform setting, by key (any signed-in caller).' })
  settings(@Context() context: RequestContext) {
    return this.service.settings(context);
  }

  @Query(() => Setting, { nullable: true, description: 'One platform setting; null when the key is not set (any signed-in caller).' })
  setting(@Args('key', { description: 'The key, e.g. "devices.defaultAndroidVersion".' }) key: string, @Context() context: RequestContext) {
    return this.service.setting(context, key);
  }

  @Query(() => [DictionaryEntry], { description: 'The entries of one dictionary in their order, e.g. the labels of DEVICE_STATUS (any signed-in caller).' })
  dictionary(@Args('type', { description: 'DEVICE_STATUS, ORDER_STATUS, ...; another is BAD_USER_INPUT.' }) type: string, @Context() context: RequestContext) {
    return this.service.dictionary(context, type);
  }

  // Service to service: a reader's cache misses. Not part of the public API.
  @Query(() => [SystemConfigItem], { description: 'The current version of settings and dictionaries, for the caches of other services; fills Redis on the way.' })
  @Directive('@inaccessible')
  systemConfigSnapshot(
    @Args('settingKeys', { type: () => [String], description: 'Setting keys.' }) settingKeys: string[],
    @Args('dictionaryTypes', { type: () => [String], description: 'Dictionary types.' }) dictionaryTypes: string[],
    @Context() context: RequestContext,
  ) {
    return this.service.snapshot(context, settingKeys, dictionaryTypes);
  }

  @Mutation(() => Setting, { description: 'Sets a platform setting to a value of its declared shape (needs setting:write: SUPER_ADMIN); every service sees it within moments.' })
  setSetting(
    @Args('key', { description: 'A declared setting key; another is BAD_USER_INPUT.' }) key: string,
    @Args('value', { type: () => JSONScalar, description: 'The new value; one of another shape than the key declares is BAD_USER_INPUT.' }) value: unknown,
    @Context() context: RequestContext,
  ) {
    return this.service.setSetting(context, key, value);
  }

  @Mutation(() => DictionaryEntry, { description: 'Adds or relabels a dictionary entry (needs setting:write: SUPER_ADMIN); every service sees it within moments.' })
  setDictionaryEntry(@Args('input') input: SetDictionaryEntryInput, @Context() context: RequestContext) {
    return this.service.setDictionaryEntry(context, input);
  }
}
