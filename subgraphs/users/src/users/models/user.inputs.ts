import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEmail, IsEnum, IsOptional, IsUUID, Length, Matches } from 'class-validator';
import { UserStatus } from './user.model.js';

const USERNAME = /^[a-z0-9][a-z0-9_.-]{2,31}$/;
const USERNAME_RULE = 'username must be 3 to 32 lowercase letters, digits, "_", "." or "-", starting with a letter or digit';

@InputType({ description: 'A new user account.' })
export class CreateUserInput {
  @Field(() => ID, { description: 'Tenant of the new user.' })
  @IsUUID('all', { message: 'tenantId must be a valid ID' })
  tenantId: string;

  @Field({ description: 'Login name: 3 to 32 of a-z, 0-9, "_", ".", "-".' })
  @Matches(USERNAME, { message: USERNAME_RULE })
  username: string;

  @Field({ description: 'E-mail address.' })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  email: string;

  @Field({ description: 'Name shown to other people, 1 to 100 characters.' })
  @Length(1, 100)
  displayName: string;
}

@InputType({ description: 'Changes to a user; omitted fields stay as they are.' })
export class UpdateUserInput {
  @Field(() => String, { nullable: true, description: 'New e-mail address.' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'New display name.' })
  @IsOptional()
  @Length(1, 100)
  displayName?: string | null;

  @Field(() => UserStatus, { nullable: true, description: 'New account state.' })
  @IsOptional()
  @IsEnum(UserStatus)
  status?: UserStatus | null;
}
