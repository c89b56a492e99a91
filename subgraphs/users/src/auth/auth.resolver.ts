import type { RequestContext } from '@cloudphone/subgraph-kit';
import { Args, Context, Int, Mutation, Resolver } from '@nestjs/graphql';
import { AuthService } from './auth.service.js';
import { AuthPayload, LoginInput, RegisterInput } from './models/auth.model.js';

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Mutation(() => AuthPayload, { description: 'Creates an account with a password and signs it in.' })
  register(@Args('input') input: RegisterInput, @Context() context: RequestContext) {
    return this.auth.register(context, input);
  }

  @Mutation(() => AuthPayload, { description: 'Signs in. Five wrong passwords in a row lock the account for 30 minutes (ACCOUNT_LOCKED).' })
  login(@Args('input') input: LoginInput, @Context() context: RequestContext) {
    return this.auth.login(context, input);
  }

  @Mutation(() => AuthPayload, { description: 'New tokens for a refresh token, which stops working; presenting a used one again ends every session it led to.' })
  refreshSession(@Args('refreshToken') refreshToken: string, @Context() context: RequestContext) {
    return this.auth.refresh(context, refreshToken);
  }

  @Mutation(() => Boolean, { description: 'Ends the session of this refresh token; false when it had already ended.' })
  logout(@Args('refreshToken') refreshToken: string, @Context() context: RequestContext) {
    return this.auth.logout(context, refreshToken);
  }

  @Mutation(() => Int, { description: "Ends every session of this refresh token's user; returns how many ended." })
  logoutEverywhere(@Args('refreshToken') refreshToken: string, @Context() context: RequestContext) {
    return this.auth.logoutEverywhere(context, refreshToken);
  }
}
