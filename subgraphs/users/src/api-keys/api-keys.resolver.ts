import { ConnectionArgs, type RequestContext, parseId, parseOptionalId } from '@cloudphone/subgraph-kit';
import { Args, Context, Directive, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKey, ApiKeyConnection, ApiKeyPrincipal, CreateApiKeyInput, CreatedApiKey } from './models/api-key.model.js';

@Resolver(() => ApiKey)
export class ApiKeysResolver {
  constructor(private readonly service: ApiKeysService) {}

  @Query(() => ApiKeyConnection, { description: "API keys, newest first: the caller's own, or another user's within the caller's api_key:read reach. Secrets are never shown." })
  apiKeys(
    @Context() context: RequestContext,
    @Args() args: ConnectionArgs,
    @Args('userId', { type: () => ID, nullable: true, description: 'Whose keys; the caller when omitted.' }) userId?: string | null,
  ) {
    return this.service.list(context, args, parseOptionalId(userId, 'userId'));
  }

  @Mutation(() => CreatedApiKey, { description: 'Creates an API key for the signed-in user (needs api_key:write), with scopes out of its own permissions; the secret is shown in this answer only.' })
  createApiKey(@Args('input') input: CreateApiKeyInput, @Context() context: RequestContext) {
    return this.service.create(context, input);
  }

  @Mutation(() => ApiKey, { description: "Revokes an API key (its owner, or within the caller's api_key:write reach); it stops working within a second. Revoking a revoked key changes nothing." })
  revokeApiKey(@Args('id', { type: () => ID, description: 'The key.' }) id: string, @Context() context: RequestContext) {
    return this.service.revoke(context, parseId(id));
  }

  // Service to service: the gateway verifies a presented key. Not part of the public API.
  @Query(() => ApiKeyPrincipal, { nullable: true, description: 'Who a presented API key acts for; null when it is malformed, unknown, revoked, expired, or its owner is not active.' })
  @Directive('@inaccessible')
  verifyApiKey(@Args('key', { description: 'The whole key as presented.' }) key: string, @Context() context: RequestContext) {
    return this.service.verify(context, key);
  }
}
