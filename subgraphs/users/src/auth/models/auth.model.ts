import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { IsEmail, Length } from 'class-validator';
import { CreateUserInput } from '../../users/models/user.inputs.js';
import { User } from '../../users/models/user.model.js';

/** Passwords: 12 to 128 characters (length beats composition rules). */
const PASSWORD_MIN = 12;
const PASSWORD_MAX = 128;

@ObjectType({ description: 'What a login, registration or refresh gives: a short-lived access token and a refresh token, each shown once.' })
export class AuthPayload {
  @Field({ description: 'JWT (ES256) to send as `Authorization: Bearer …`; verify it with the JWKS at /.well-known/jwks.json of the users service.' })
  accessToken: string;

  @Field({ description: 'When the access token stops working.' })
  accessTokenExpiresAt: Date;

  @Field({ description: 'Exchanged for new tokens by refreshSession; each refresh token works once.' })
  refreshToken: string;

  @Field({ description: 'When the session ends unless refreshed.' })
  refreshTokenExpiresAt: Date;

  @Field(() => User, { description: 'The signed-in user.' })
  user: User;
}

@InputType({ description: 'A new account with a password.' })
export class RegisterInput extends CreateUserInput {
  @Field({ description: `Password, ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.` })
  @Length(PASSWORD_MIN, PASSWORD_MAX, { message: `password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters` })
  password: string;
}

@InputType({ description: 'E-mail and password.' })
export class LoginInput {
  @Field({ description: 'E-mail address of the account.' })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  email: string;

  @Field({ description: 'Password.' })
  @Length(1, PASSWORD_MAX)
  password: string;
}
