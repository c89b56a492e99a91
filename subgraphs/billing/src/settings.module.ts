import { type DynamicModule, Global, Module } from '@nestjs/common';
import { BILLING_SETTINGS, type BillingSettings } from './config.js';

/** Billing's own settings (config.ts) for every module. */
@Global()
@Module({})
export class BillingSettingsModule {
  static forSettings(settings: BillingSettings): DynamicModule {
    return { module: BillingSettingsModule, providers: [{ provide: BILLING_SETTINGS, useValue: settings }], exports: [BILLING_SETTINGS] };
  }
}
