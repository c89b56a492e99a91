import { Module } from '@nestjs/common';
import { InvoicesModule } from '../invoices/invoices.module.js';
import { MeteringModule } from '../metering/metering.module.js';
import { BillingJobsService } from './billing-jobs.service.js';

/** Billing's periodic work (metering sweep, invoice closing). */
@Module({
  imports: [MeteringModule, InvoicesModule],
  providers: [BillingJobsService],
})
export class JobsModule {}
