import { Module } from '@nestjs/common';
import { BalancesResolver } from './balances.resolver.js';
import { BalancesService } from './balances.service.js';
import { LedgerRepository } from './ledger.repository.js';
import { LedgerService } from './ledger.service.js';

/** Balances and their ledger, which every money-moving feature posts through. */
@Module({
  providers: [LedgerRepository, LedgerService, BalancesService, BalancesResolver],
  exports: [LedgerRepository, LedgerService, BalancesService],
})
export class BalancesModule {}
