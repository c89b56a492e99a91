import { Controller, Get, Header } from '@nestjs/common';
import { TokenIssuer } from './token-issuer.js';

/** The public keys of access tokens, for the gateway (and anyone) to verify them. */
@Controller('.well-known')
export class JwksController {
  constructor(private readonly tokens: TokenIssuer) {}

  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  jwks() {
    return this.tokens.jwks();
  }
}
