import type { RevocationChannel } from '@cloudphone/revocation';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AUTH_SETTINGS, loadAuthSettings } from '../config.js';
import { AccessRevocations, REVOCATION_CHANNEL } from './access-revocations.js';

/** The token settings and the revocation announcer, for sign-in (auth) and role changes (roles) alike. */
@Global()
@Module({})
export class AccessModule {
  static forChannel(channel: RevocationChannel): DynamicModule {
    return {
      module: AccessModule,
      providers: [{ provide: AUTH_SETTINGS, useFactory: () => loadAuthSettings() }, { provide: REVOCATION_CHANNEL, useValue: channel }, AccessRevocations],
      exports: [AUTH_SETTINGS, AccessRevocations],
    };
  }
}
