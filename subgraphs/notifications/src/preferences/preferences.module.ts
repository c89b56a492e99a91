import { Module } from '@nestjs/common';
import { PreferencesRepository } from './preferences.repository.js';
import { PreferencesResolver } from './preferences.resolver.js';
import { PreferencesService } from './preferences.service.js';

@Module({
  providers: [PreferencesRepository, PreferencesService, PreferencesResolver],
  exports: [PreferencesService],
})
export class PreferencesModule {}
