import { Module } from '@nestjs/common';
import { AUTH_SETTINGS, type AuthSettings } from '../config.js';
import { RolesModule } from '../roles/roles.module.js';
import { RolesRepository } from '../roles/roles.repository.js';
import { UsersModule } from '../users/users.module.js';
import { AuditRepository } from './audit.repository.js';
import { AuthResolver } from './auth.resolver.js';
import { AuthService } from './auth.service.js';
import { JwksController } from './jwks.controller.js';
import { SessionsRepository } from './sessions.repository.js';
import { loadSigningKey } from './signing-key.js';
import { TokenIssuer } from './token-issuer.js';

@Module({
  imports: [UsersModule, RolesModule],
  controllers: [JwksController],
  providers: [
    { provide: TokenIssuer, inject: [AUTH_SETTINGS, RolesRepository], useFactory: async (settings: AuthSettings, roles: RolesRepository) => new TokenIssuer(await loadSigningKey(settings), settings, roles) },
    AuditRepository,
    SessionsRepository,
    AuthService,
    AuthResolver,
  ],
})
export class AuthModule {}
