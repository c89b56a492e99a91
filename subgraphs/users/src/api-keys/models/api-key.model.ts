import { Connection } from '@cloudphone/subgraph-kit';
import { Directive, Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayNotEmpty, IsDate, IsOptional, IsString, Length } from 'class-validator';

@ObjectType({ description: 'A key a program calls the API with, as its owner narrowed to the key\'s scopes. The secret is shown once, at creation; only its hash is kept.' })
export class ApiKey {
  @Field(() => ID, { description: 'Unique key id.' })
  id: string;

  @Field(() => ID, { description: 'The user the key acts for.' })
  userId: string;

  @Field({ description: 'What the key is for, as its owner named it.' })
  name: string;

  @Field({ description: 'The public start of the key (`cpk_<prefix>_…`), to tell keys apart.' })
  prefix: string;

  @Field(() => [String], { description: 'The permissions the key may use (e.g. `device:read`): a subset of its owner\'s.' })
  scopes: string[];

  @Field({ description: 'When the key was created.' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the key was last used, to the minute; null when never.' })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the key stops working; null for never.' })
  expiresAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the key was revoked; null while it works.' })
  revokedAt: Date | null;
}

@ObjectType({ description: 'A page of API keys.' })
export class ApiKeyConnection extends Connection(ApiKey, 'ApiKey') {}

@ObjectType({ description: 'A new API key and its secret, shown this once.' })
export class CreatedApiKey {
  @Field(() => ApiKey, { description: 'The key.' })
  apiKey: ApiKey;

  @Field({ description: 'The whole key (`cpk_<prefix>_<secret>`), to send as `x-api-key` or `Authorization: ApiKey …`. It cannot be shown again.' })
  secret: string;
}

@InputType({ description: 'A new API key for the signed-in user.' })
export class CreateApiKeyInput {
  @Field({ description: 'What the key is for, 1 to 100 characters.' })
  @IsString()
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  name: string;

  @Field(() => [String], { description: 'Permissions the key may use (e.g. `device:read`); each must be one of the caller\'s own.' })
  @ArrayNotEmpty({ message: 'scopes must name at least one permission' })
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  scopes: string[];

  @Field(() => Date, { nullable: true, description: 'When the key stops working (in the future); never when omitted.' })
  @IsOptional()
  @IsDate()
  expiresAt?: Date | null;
}

@ObjectType({ description: 'A data scope of an API key principal (service to service).' })
@Directive('@inaccessible')
export class ApiKeyDataScope {
  @Field({ description: 'Resource, e.g. `device`.' })
  resource: string;

  @Field({ description: 'SELF, TENANT or ALL.' })
  scope: string;
}

@ObjectType({ description: 'A field rule of an API key principal (service to service).' })
@Directive('@inaccessible')
export class ApiKeyFieldRule {
  @Field({ description: '`resource.field`, e.g. `user.email`.' })
  field: string;

  @Field({ description: 'HIDDEN, MASKED or READ_ONLY.' })
  rule: string;
}

@ObjectType({ description: 'Who a verified API key acts for: its owner\'s roles compiled and narrowed to the key\'s scopes (service to service: the gateway asks).' })
@Directive('@inaccessible')
export class ApiKeyPrincipal {
  @Field(() => ID, { description: 'The key, as the credential id.' })
  keyId: string;

  @Field(() => ID, { description: 'The owner.' })
  userId: string;

  @Field(() => ID, { description: "The owner's tenant." })
  tenantId: string;

  @Field(() => [String], { description: "The owner's roles." })
  roles: string[];

  @Field(() => [String], { description: 'Permissions: the owner\'s that the key\'s scopes name.' })
  permissions: string[];

  @Field(() => [ApiKeyDataScope], { description: 'Data scopes of the resources the key reaches.' })
  dataScopes: ApiKeyDataScope[];

  @Field(() => [ApiKeyFieldRule], { description: "The owner's field rules." })
  fieldRules: ApiKeyFieldRule[];

  @Field(() => Date, { nullable: true, description: 'When the key stops working; null for never.' })
  expiresAt: Date | null;
}
