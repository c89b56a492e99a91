import { Module } from '@nestjs/common';
import { BalancesModule } from '../balances/balances.module.js';
import { BillingRulesModule } from '../billing-rules/billing-rules.module.js';
import { InvoicesModule } from '../invoices/invoices.module.js';
import { DevicesClient } from '../peers/devices.client.js';
import { MeteringRepository } from './metering.repository.js';
import { DEVICE_SPECS, MeteringService } from './metering.service.js';
import { UsageRecordResolver } from './usage.resolver.js';
import { UsageService } from './usage.service.js';

/** Metering of running time: usage records from device status events and the periodic sweep, charged to balances. */
@Module({
  imports: [BalancesModule, BillingRulesModule, InvoicesModule],
  providers: [MeteringRepository, MeteringService, UsageService, UsageRecordResolver, { provide: DEVICE_SPECS, useExisting: DevicesClient }],
  exports: [MeteringService, UsageService],
})
export class MeteringModule {}
