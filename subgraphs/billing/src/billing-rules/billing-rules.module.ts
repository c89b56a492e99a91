import { Module } from '@nestjs/common';
import { BillingRulesRepository } from './billing-rules.repository.js';
import { BillingRulesResolver } from './billing-rules.resolver.js';
import { BillingRulesService } from './billing-rules.service.js';

/** The price list of running time (billing rules). */
@Module({
  providers: [BillingRulesRepository, BillingRulesService, BillingRulesResolver],
  exports: [BillingRulesRepository],
})
export class BillingRulesModule {}
