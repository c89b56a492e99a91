import { Module } from '@nestjs/common';
import { AUTH_SETTINGS, type AuthSettings, loadAuthSettings } from '../config.js';
import { UsersModule } from '../users/users.module.js';
import { AuditRepository } from './audit.repository.js';
import { AuthResolver } from './auth.resolver.js';
import { AuthService } from './auth.service.js';
import { JwksController } from './jwks.controller.js';
import { SessionsRepository } from './sessions.repository.js';
import { loadSigningKey } from './signing-key.js';
import { TokenIssuer } from './token-issuer.js';

@Module({
  imports: [UsersModule],
  controllers: [JwksController],
  providers: [
    { provide: AUTH_SETTINGS, useFactory: () => loadAuthSettings() },
    { provide: TokenIssuer, inject: [AUTH_SETTINGS], useFactory: async (settings: AuthSettings) => new TokenIssuer(await loadSigningKey(settings), settings) },
    AuditRepository,
    SessionsRepository,
    AuthService,
    AuthResolver,
  ],
})
export class AuthModule {}
